import Domain
import Foundation

/// A contest request the service could not carry out. Each message says what happened and what to do.
public enum ContestServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidRequest(String)
    /// No contest with this id (in this clan).
    case unknownContest(Int64)
    /// The lifecycle does not allow this step now (`Contest.applying`).
    case refused(ContestTransitionError)
    /// A rule that cannot be stored (`ContestRule.init`).
    case invalidRule(ContestRuleError)
    /// Stored contest data that does not fit together or cannot be read back; the sentence says which.
    case storedData(String)
    /// OpenSSL could not give the activation secret.
    case secureRandomUnavailable(String)
    /// The committed round is further away than the service is willing to wait.
    case beaconNotYetPublished(round: UInt64, publishedAt: Date)
    /// The relay did not serve the round before the deadline.
    case beaconUnavailable(round: UInt64, url: String, attempts: Int, lastAnswer: String)
    /// The relay served something that is not the committed round; nothing was stored.
    case beaconRefused(round: UInt64, BeaconError)
    /// The contest needs a drand relay and this service has no HTTP client.
    case noBeaconClient(round: UInt64)
    /// The stored entry file cannot be read back as the scheme writes it.
    case entries(EntryListError)
    /// The draw itself refused its inputs.
    case draw(DrawError)
    /// A stored value the draw needs is missing (the secret, the entry file).
    case missingStoredValue(contestID: Int64, what: String)

    public var description: String {
        switch self {
        case .invalidRequest(let message): message
        case .unknownContest(let id): "there is no contest \(id); list the clan's contests to see their ids"
        case .refused(let error): error.description
        case .invalidRule(let error): "the rule was not saved: \(error)"
        case .storedData(let message): message
        case .secureRandomUnavailable(let message): "the contest was not activated: \(message)"
        case .beaconNotYetPublished(let round, let date):
            "the contest draws with drand quicknet round \(round), which is published \(Self.time(date)); draw after that time"
        case .beaconUnavailable(let round, let url, let attempts, let last):
            "drand round \(round) could not be fetched from \(url) after \(attempts) attempts (last answer: \(last)); nothing was drawn — check DRAND_BASE and try again"
        case .beaconRefused(let round, let error):
            "the drand relay's answer for round \(round) was refused and nothing was stored: \(error)"
        case .noBeaconClient(let round):
            "this contest draws with drand round \(round) but the bot has no drand relay configured (DRAND_BASE)"
        case .entries(let error): "the stored entry file cannot be used: \(error)"
        case .draw(let error): "the draw was refused: \(error)"
        case .missingStoredValue(let id, let what): "contest \(id) has no stored \(what); it cannot be drawn and should be cancelled with a reason"
        }
    }

    static func time(_ date: Date) -> String {
        ISO8601Time.string(date)
    }
}
