/// A request the services could not carry out, worded for the person who asked.
public enum ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    case clanNotFound(String)
    case ambiguousClan(String, candidates: [String])
    case invalidRequest(String)
    case storedDataUnreadable(String)
    /// The clan already has a batch in progress; one at a time keeps the hiscores budget for it.
    case batchAlreadyRunning(jobID: String)

    /// No clan has this id (or not in the guild asked about).
    public static func clanNotFound(id: Int64) -> ServiceError { .clanNotFound("#\(id)") }

    public var description: String {
        switch self {
        case .clanNotFound(let clan): "no clan called '\(clan)'; check the name or slug"
        case .ambiguousClan(let clan, let candidates):
            "'\(clan)' matches several clans (\(candidates.joined(separator: ", "))); use the clan's id instead"
        case .invalidRequest(let message): message
        case .storedDataUnreadable(let message): "stored data could not be read: \(message)"
        case .batchAlreadyRunning(let jobID): "a snapshot batch of this clan is already running (job \(jobID)); wait for it to finish"
        }
    }
}
