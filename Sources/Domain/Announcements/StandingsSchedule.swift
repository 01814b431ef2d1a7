import Foundation

/// When the announcements channel posts the standings of a clan's running contests: every 24, 12 or 6 hours from a
/// time of day in the clan's time zone (`/announce standings every:6h at:18:00` posts at 00:00, 06:00, 12:00 and
/// 18:00). One schedule per clan, for all its running contests.
///
/// Slots are wall-clock times, so a daily post stays at 18:00 across a daylight-saving change; a time skipped by the
/// change is posted when the clock resumes, a time shown twice once. Only the latest slot that has come is ever
/// posted (a bot down for two days posts the current standings once, not a backlog), and only slots from the
/// contest's start (or its activation, if later) until before its end.
public struct StandingsSchedule: Sendable, Hashable {
    public enum Cadence: Int, Sendable, Hashable, CaseIterable {
        case daily = 24
        case twelveHours = 12
        case sixHours = 6

        /// The option's value: "daily", "12h", "6h".
        public var option: String {
            switch self {
            case .daily: "daily"
            case .twelveHours: "12h"
            case .sixHours: "6h"
            }
        }

        public var hours: Int { rawValue }
    }

    public var every: Cadence
    /// The first slot of the day, in minutes after local midnight (0–1439).
    public var minuteOfDay: Int

    public init(every: Cadence, minuteOfDay: Int) {
        self.every = every
        self.minuteOfDay = min(max(0, minuteOfDay), 1439)
    }

    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case every(String)
        case at(String)

        public var description: String {
            switch self {
            case .every(let text): "'\(text)' is not a standings schedule: use daily, 12h, 6h or off"
            case .at(let text): "'\(text)' is not a time of day: use HH:MM, e.g. 18:00"
            }
        }
    }

    /// `every` is "daily", "12h", "6h" or "off" (nil: no scheduled standings); `at` is "HH:MM" (default 18:00).
    public static func parse(every: String, at: String?) throws(ParseError) -> StandingsSchedule? {
        let word = every.trimmingCharacters(in: .whitespaces).lowercased()
        if word == "off" || word == "none" { return nil }
        let cadence: Cadence
        switch word {
        case "daily", "24h", "day": cadence = .daily
        case "12h": cadence = .twelveHours
        case "6h": cadence = .sixHours
        default: throw .every(every)
        }
        guard let at = at?.trimmingCharacters(in: .whitespaces), !at.isEmpty else { return StandingsSchedule(every: cadence, minuteOfDay: 18 * 60) }
        let parts = at.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { throw .at(at) }
        return StandingsSchedule(every: cadence, minuteOfDay: hour * 60 + minute)
    }

    /// "18:00".
    var timeOfDay: String {
        let (hour, minute) = (minuteOfDay / 60, minuteOfDay % 60)
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// "daily at 18:00", "every 6 hours from 18:00".
    public var summary: String {
        every == .daily ? "daily at \(timeOfDay)" : "every \(every.hours) hours from \(timeOfDay)"
    }

    /// The slots of the local days around `instant`, in order.
    func slots(around instant: Date, timeZone: TimeZone) -> [Date] {
        let clock = LocalClock(timeZone: timeZone)
        let today = clock.localDay(at: instant)
        let perDay = 24 / every.hours
        var slots = Set<Date>()
        for day in (today - 1)...(today + 1) {
            for index in 0..<perDay {
                let second = Int64((minuteOfDay * 60 + index * every.hours * 3600) % 86_400)
                slots.insert(clock.instant(localSecond: day * 86_400 + second))
            }
        }
        return slots.sorted()
    }

    /// The latest slot at or before `now`.
    func latestSlot(atOrBefore now: Date, timeZone: TimeZone) -> Date? {
        slots(around: now, timeZone: timeZone).last { $0 <= now }
    }

    /// The first slot after `now`.
    public func nextSlot(after now: Date, timeZone: TimeZone) -> Date? {
        slots(around: now, timeZone: timeZone).first { $0 > now }
    }

    /// The slot whose standings of a contest to post at `now`, if any: the latest slot that has come, from the
    /// contest's start (or activation, if later) and before its end.
    public func due(startAt: Date, activatedAt: Date, endAt: Date, now: Date, timeZone: TimeZone) -> Date? {
        guard let slot = latestSlot(atOrBefore: now, timeZone: timeZone), slot >= max(startAt, activatedAt), slot < endAt else { return nil }
        return slot
    }
}
