import Domain
import Transport

/// Why a hiscores lookup failed, in words a Discord user or operator can act on.
public enum HiscoresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is not a valid RSN; no request was made.
    case invalidName(RSN.ValidationError)
    /// HTTP 404: the player is not on that board (wrong name, too low to rank, banned or renamed).
    case notOnHiscores(name: String, board: HiscoresBoard)
    /// The body was not the hiscores JSON.
    case malformedResponse(board: HiscoresBoard, HiscoresParseError)
    /// An HTTP status we cannot use; `attempts` includes retries of 5xx.
    case unavailable(status: Int, board: HiscoresBoard, attempts: Int)
    /// The request never got an answer (timeouts are retried before this is reported).
    case transport(HTTPError, attempts: Int)
    case cancelled
    /// An interactive lookup gave up waiting: the hiscores did not answer within its patience (retries included).
    case noAnswer(within: Duration)

    public var description: String {
        switch self {
        case .invalidName(let reason):
            reason.description
        case .notOnHiscores(let name, let board):
            "\(name) is not on the \(board.key) hiscores. Check the spelling; accounts below the ranking minimums, "
                + "banned or renamed accounts are not listed."
        case .malformedResponse(let board, let error):
            "The \(board.key) hiscores answered with something unreadable (\(error.description))."
        case .unavailable(let status, let board, let attempts):
            "The \(board.key) hiscores are unavailable (HTTP \(status) after \(attempts) attempt\(attempts == 1 ? "" : "s"))."
        case .transport(let error, let attempts):
            "Could not reach the hiscores after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(error.description)"
        case .cancelled:
            "The hiscores lookup was cancelled."
        case .noAnswer(let limit):
            "the hiscores did not answer in \(Self.seconds(limit)) s; try again in a minute"
        }
    }

    /// Whole seconds, at least 1.
    static func seconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds + (duration.components.attoseconds >= 500_000_000_000_000_000 ? 1 : 0))
    }

    /// True for a player missing from the board (as opposed to the hiscores failing).
    public var isNotFound: Bool {
        if case .notOnHiscores = self { return true }
        return false
    }
}
