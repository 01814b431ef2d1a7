import Domain
import Foundation

extension SnapshotMode {
    /// The fixed board, or nil for `auto` (each account's resolved type).
    public var board: HiscoresBoard? {
        switch self {
        case .auto: nil
        case .board(let board): board
        }
    }
}

extension Clan {
    /// The clan's zone; a stored name this system does not know reads as UTC rather than failing a report.
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current }
}
