import Domain
import Foundation

/// A contest operation the storage refused. `description` says what is wrong and what to do instead.
public enum ContestStorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No contest with this id (in this clan).
    case unknownContest(Int64)
    /// The lifecycle does not allow this step now (`Contest.applying`).
    case refused(ContestTransitionError)
    /// A rule that cannot be stored (`ContestRule.init`).
    case invalidRule(ContestRuleError)
    /// The values handed to a step do not belong together (a secret that is not the commitment's, an entry file
    /// that is not the digest's, a proof of another contest).
    case inconsistent(String)
    /// A stored row this build cannot read back; `detail` names the column.
    case unreadable(contestID: Int64, detail: String)

    public var description: String {
        switch self {
        case .unknownContest(let id): "there is no contest \(id); list the clan's contests to see their ids"
        case .refused(let error): error.description
        case .invalidRule(let error): "the rule was not saved: \(error)"
        case .inconsistent(let detail): "nothing was saved: \(detail)"
        case .unreadable(let id, let detail): "contest \(id) could not be read back: \(detail)"
        }
    }
}
