/// A request the services could not carry out, worded for the person who asked.
public enum ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    case clanNotFound(String)
    case ambiguousClan(String, candidates: [String])
    case invalidRequest(String)
    case storedDataUnreadable(String)

    public var description: String {
        switch self {
        case .clanNotFound(let clan): "no clan called '\(clan)'; check the name or slug"
        case .ambiguousClan(let clan, let candidates):
            "'\(clan)' matches several clans (\(candidates.joined(separator: ", "))); use the clan's id instead"
        case .invalidRequest(let message): message
        case .storedDataUnreadable(let message): "stored data could not be read: \(message)"
        }
    }
}
