import Foundation

/// What the announcements channel says after a scheduled snapshot run: the clan's top xp gainers of the day (or of
/// the week, for a clan snapshotted weekly), not one line per member.
///
/// The period is the schedule's rhythm as the runs show it: a run at least six days after the clan's previous
/// scheduled run summarises the week before it, any other run the day (24 hours) before it. The window ends when the
/// run finished, so a run recovered after a crash summarises the same members' gains as it would have on time.
public struct BatchSummary: Sendable, Hashable {
    public enum Period: String, Sendable, Hashable {
        case day, week

        public var length: TimeInterval { self == .day ? 86_400 : 7 * 86_400 }
        /// "of the day", "of the week".
        public var words: String { self == .day ? "of the day" : "of the week" }
    }

    /// How many gainers a summary lists.
    public static let defaultLimit = 10

    public var batch: BatchRun
    public var period: Period
    public var window: TimeWindow
    /// The top gainers, best first (only members who gained).
    public var top: [Leaderboard.Row]
    /// Members who gained any xp in the window.
    public var gainers: Int
    /// The xp all members gained together in the window.
    public var totalXP: Int64

    /// The period a run summarises, from when the clan's previous scheduled run was due (nil: this is the first).
    public static func period(slot: Date, previousSlot: Date?) -> Period {
        guard let previousSlot else { return .day }
        return slot.timeIntervalSince(previousSlot) >= 6 * 86_400 ? .week : .day
    }

    /// The window a run that finished at `end` summarises.
    public static func window(period: Period, end: Date) -> TimeWindow {
        TimeWindow(start: end.addingTimeInterval(-period.length), end: end)
    }

    /// The summary of `batch` from the clan's xp-gained board over `window`.
    public init(batch: BatchRun, period: Period, window: TimeWindow, board: Leaderboard, limit: Int = defaultLimit) {
        self.batch = batch
        self.period = period
        self.window = window
        let gained = board.rows.filter { $0.value > 0 }
        top = Array(gained.prefix(limit))
        gainers = gained.count
        totalXP = gained.reduce(0) { $0 &+ $1.value }
    }
}
