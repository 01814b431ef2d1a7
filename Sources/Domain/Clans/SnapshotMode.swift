/// Which board a clan's snapshots read: one fixed board, or `auto` (each member's resolved type).
public enum SnapshotMode: Sendable, Hashable, Codable, CustomStringConvertible {
    case auto
    case board(HiscoresBoard)

    /// The stored and typed form: "auto" or a board key ("regular", "ironman", ...).
    public var key: String {
        switch self {
        case .auto: "auto"
        case .board(let board): board.key
        }
    }

    public init?(key: String) {
        if key == "auto" {
            self = .auto
        } else if let board = HiscoresBoard(key: key) {
            self = .board(board)
        } else {
            return nil
        }
    }

    public var description: String { key }
}
