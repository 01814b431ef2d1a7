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

/// One stored `contest_entries` row: who, for which rule, how many tickets, and why (the proof).
public struct StoredContestEntry: Sendable, Hashable {
    public var id: Int64
    public var contestID: Int64
    public var rulePosition: Int
    public var accountID: Int64
    /// The account's display name when the entry was read.
    public var name: String
    public var entryCount: Int
    public var proof: EntryProof
    /// The proof exactly as stored (JSON).
    public var proofJSON: String
}

/// A member the end of a contest left out, and why (`contests.exclusions`).
public struct ContestExclusion: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var name: String
    public var reason: String

    public init(accountID: Int64, name: String, reason: String) {
        self.accountID = accountID
        self.name = name
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case accountID = "account_id", name, reason
    }
}

/// A stored draw: the proof (`rng_proof`, the same on every row) and one row per winner.
public struct StoredContestDraw: Sendable, Hashable {
    public struct Winner: Sendable, Hashable {
        public var position: Int
        public var accountID: Int64
        /// The winning ticket's line in the entry file (normalised RSN).
        public var ticket: String
        /// The account's display name.
        public var displayName: String
        public var ticketIndex: Int64
        public var counter: Int64
    }

    public var contestID: Int64
    public var drawnAt: Date
    public var proof: DrawProof
    /// `rng_proof` byte for byte: `DrawProof.json` at the time of the draw.
    public var proofJSON: String
    public var winners: [Winner]
}
