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

    /// Years 1 to 9999, as a typed timeframe can name: a button is read again on every press and trusted in nothing.
    static let buttonSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    init?(buttonKey: String) {
        switch buttonKey {
        case "7d": self = .last7Days
        case "30d": self = .last30Days
        case "mtd": self = .monthToDate
        default:
            guard buttonKey.hasPrefix("c") else { return nil }
            let parts = buttonKey.dropFirst().split(separator: "-")
            guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), start < end,
                  Self.buttonSeconds.contains(start), Self.buttonSeconds.contains(end) else { return nil }
            self = .custom(start: Date(timeIntervalSince1970: TimeInterval(start)), end: Date(timeIntervalSince1970: TimeInterval(end)))
        }
    }
}

extension Timeframe {
    /// The timeframe for a title: "last 7 days", or a custom window as dates in the clan's zone
    /// ("2026-11-01 – 2026-11-30"; an end at midnight is the day before, as the user typed it).
    func label(in zone: TimeZone) -> String {
        guard case .custom(let start, let end) = self else { return description }
        return "\(Self.local(start, zone, isEnd: false)) – \(Self.local(end, zone, isEnd: true))"
    }

    private static func local(_ date: Date, _ zone: TimeZone, isEnd: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let midnight = calendar.startOfDay(for: date) == date
        let shown = midnight && isEnd ? date.addingTimeInterval(-1) : date
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: shown)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return midnight ? day : day + String(format: " %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}

extension TimeWindow {
    /// "<t:…:d> – <t:…:d>": the days a window covers, its end shown as the last day inside it.
    var days: String {
        "\(Format.timestamp(start, "d")) – \(Format.timestamp(max(start, end.addingTimeInterval(-1)), "d"))"
    }
}
