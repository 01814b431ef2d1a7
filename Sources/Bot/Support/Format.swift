import Domain
import Foundation
import Services

/// Numbers and times the way people read them in Discord: 1.2M xp, 7d, `<t:…:R>`.
enum Format {
    /// 950, 12.3K, 1.2M, 4.56B. Negative values keep their sign.
    static func compact(_ value: Int64) -> String {
        if value < 0 { return "-" + compact(value == Int64.min ? Int64.max : -value) }
        // Integer arithmetic, cut (never rounded up): 1,999,999 xp is not "2M".
        switch value {
        case ..<1_000: return String(value)
        case ..<10_000: return decimal(value, unit: 1_000, digits: 2) + "K"
        case ..<1_000_000: return decimal(value, unit: 1_000, digits: 1) + "K"
        case ..<10_000_000: return decimal(value, unit: 1_000_000, digits: 2) + "M"
        case ..<1_000_000_000: return decimal(value, unit: 1_000_000, digits: 1) + "M"
        default: return decimal(value, unit: 1_000_000_000, digits: 2) + "B"
        }
    }

    private static func decimal(_ value: Int64, unit: Int64, digits: Int) -> String {
        let scale: Int64 = digits == 2 ? 100 : 10
        let scaled = value / (unit / scale)
        var fraction = String(scaled % scale)
        while fraction.count < digits { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return String(scaled / scale) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// 1,234,567 with a thin grouping that reads in any locale.
    static func grouped(_ value: Int64) -> String { value.groupedDigits }

    /// "+1.2M" for gains.
    static func gain(_ value: Int64) -> String { value > 0 ? "+" + compact(value) : compact(value) }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? word : (plural ?? word + "s"))"
    }

    /// A Discord timestamp: rendered in each reader's own time zone and language.
    /// Styles: R relative ("in 2 hours"), f date and time, d date, t time.
    static func timestamp(_ date: Date, _ style: Character = "R") -> String {
        "<t:\(Int64(date.timeIntervalSince1970.rounded(.down))):\(style)>"
    }

    /// "3m 20s", "2h 5m", "4d 3h" for durations.
    static func duration(_ seconds: Double) -> String { Wording.duration(seconds) }

    /// "5 min ago" for places Discord does not render timestamps (autocomplete labels, footers).
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "just now" }
        return duration(seconds).split(separator: " ").first.map { "\($0) ago" } ?? "just now"
    }

    static func milliseconds(_ value: Int?) -> String {
        guard let value else { return "–" }
        return value < 1000 ? "\(value) ms" : "\(value / 1000).\(value % 1000 / 100) s"
    }

}

/// Embed colours, so every panel of one kind looks the same.
enum Palette {
    static let clan = 0xC8A2C8
    static let gold = 0xE8B923
    static let success = 0x2ECC71
    static let warning = 0xF1C40F
    static let failure = 0xE74C3C
    static let info = 0x3498DB
    static let running = 0x95A5A6
}
