/// Words shared by every place that tells people about a batch: the Discord panels and the webhook posts.
public enum Wording {
    /// "3m 20s", "2h 5m", "4d 3h" for durations.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m \(total % 60)s" }
        if total < 86_400 { return "\(total / 3600)h \(total % 3600 / 60)m" }
        return "\(total / 86_400)d \(total % 86_400 / 3600)h"
    }

    /// A batch member's stored error kind ("not_found", "timeout", …) in a few words.
    public static func batchFailure(_ kind: String?) -> String {
        switch kind {
        case "not_found": "not on the hiscores"
        case "invalid_name": "not a valid RuneScape name"
        case "unavailable": "hiscores unavailable"
        case "timeout": "hiscores timed out"
        case "transport": "could not reach the hiscores"
        case "malformed": "unreadable hiscores answer"
        case "cancelled": "cancelled"
        default: "failed"
        }
    }
}
