import Domain
import Foundation
import Services

extension CommandRequest {
    /// The `timeframe` option (7d, 30d, mtd, custom) with `start` and `end` for custom, read in the clan's zone.
    /// Giving start and end alone means custom.
    func timeframe(in clan: Clan) throws -> Timeframe {
        let start = string("start")
        let end = string("end")
        let key = string("timeframe") ?? (start != nil || end != nil ? "custom" : "7d")
        guard key == "custom" else { return try Timeframe.parse(key, timeZone: clan.zone) }
        guard let start, let end else {
            throw BotFailure("A custom timeframe needs both `start` and `end` (YYYY-MM-DD, or a time such as 2026-11-01T18:00:00Z).")
        }
        return try Timeframe.parse("\(start)..\(end)", timeZone: clan.zone)
    }
}

extension Timeframe {
    /// The compact form a button carries: "7d", "30d", "mtd" or "c<start>-<end>" in epoch seconds.
    var buttonKey: String {
        switch self {
        case .custom(let start, let end): "c\(Int64(start.timeIntervalSince1970))-\(Int64(end.timeIntervalSince1970))"
        default: key
        }
    }

    init?(buttonKey: String) {
        switch buttonKey {
        case "7d": self = .last7Days
        case "30d": self = .last30Days
        case "mtd": self = .monthToDate
        default:
            guard buttonKey.hasPrefix("c") else { return nil }
            let parts = buttonKey.dropFirst().split(separator: "-")
            guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), start < end else { return nil }
            self = .custom(start: Date(timeIntervalSince1970: TimeInterval(start)), end: Date(timeIntervalSince1970: TimeInterval(end)))
        }
    }
}
