import Foundation

/// The reminders the announcements channel posts before a running contest ends: 24 hours and 1 hour before.
///
/// Which reminder is due at a moment is decided here, with no I/O, so every process and every restart decides the
/// same; the outbox's unique key ("contest:ID:reminder:24h") then posts each at most once.
///
/// - Only what was still ahead when the contest went live counts: a contest activated with 20 hours left gets the
///   1-hour reminder only, one activated with 30 minutes left gets none (a reminder of something just announced
///   would be noise).
/// - When several are due at once (the bot was down through the 24-hour mark and came back after the 1-hour mark),
///   only the latest is posted: "ends in 24 hours" would be false by then.
/// - Nothing is due once the contest's end time has come.
public enum ContestReminder: String, Sendable, Hashable, CaseIterable {
    case dayBefore = "24h"
    case hourBefore = "1h"

    /// How long before the end it is posted.
    public var lead: TimeInterval {
        switch self {
        case .dayBefore: 86_400
        case .hourBefore: 3_600
        }
    }

    /// "24 hours", "1 hour".
    public var words: String {
        switch self {
        case .dayBefore: "24 hours"
        case .hourBefore: "1 hour"
        }
    }

    /// When this reminder of a contest ending at `endAt` is due.
    public func dueAt(endAt: Date) -> Date { endAt.addingTimeInterval(-lead) }

    /// The reminders a contest activated at `activatedAt` gets at all (those still ahead then).
    public static func planned(activatedAt: Date, endAt: Date) -> [ContestReminder] {
        allCases.filter { $0.dueAt(endAt: endAt) >= activatedAt }
    }

    /// The reminder to post at `now`, if any: the latest planned one whose time has come, before the end.
    public static func due(activatedAt: Date, endAt: Date, now: Date) -> ContestReminder? {
        guard now < endAt else { return nil }
        return planned(activatedAt: activatedAt, endAt: endAt)
            .filter { $0.dueAt(endAt: endAt) <= now }
            .max { $0.dueAt(endAt: endAt) < $1.dueAt(endAt: endAt) }
    }

    /// The next time a planned reminder comes due after `now` (for the loop's sleep), or nil.
    public static func next(activatedAt: Date, endAt: Date, after now: Date) -> Date? {
        planned(activatedAt: activatedAt, endAt: endAt).map { $0.dueAt(endAt: endAt) }.filter { $0 > now }.min()
    }
}
