import Foundation

/// Times as people type them into commands: ISO 8601 with or without fractional seconds
/// ("2026-12-01T18:00:00Z"), or a plain date ("2026-12-01"), meaning midnight in `zone`.
public enum TimeInput {
    public static func parse(_ text: String, zone: TimeZone) -> Date? {
        if let date = ISO8601Time.date(from: text) { return date }
        guard text.count == 10 else { return nil }
        return ISO8601Time.day(from: text, zone: zone)
    }
}
