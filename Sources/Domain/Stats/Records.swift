import Foundation

/// The calendar period a record is the best of, in the clan's time zone.
public enum RecordPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Midnight to midnight.
    case day
    /// Monday 00:00 to the next Monday.
    case week
    /// The 1st 00:00 to the next month's 1st.
    case month

    /// The period's index that contains local day `day` (days since 1970-01-01 on the wall clock).
    func index(ofLocalDay day: Int64) -> Int64 {
        switch self {
        case .day: return day
        case .week: return LocalClock.floorDiv(day + 3, 7)  // 1970-01-05 was a Monday: it starts week 1
        case .month:
            let civil = LocalClock.civil(fromDay: day)
            return Int64(civil.year) * 12 + Int64(civil.month - 1)
        }
    }

    /// The first local day of the period with `index`.
    func firstLocalDay(ofIndex index: Int64) -> Int64 {
        switch self {
        case .day: return index
        case .week: return index * 7 - 3
        case .month:
            let year = Int(LocalClock.floorDiv(index, 12))
            return LocalClock.day(year: year, month: Int(index - Int64(year) * 12) + 1, day: 1)
        }
    }

    /// The period `[start, end)` containing `instant` in `timeZone`.
    public func window(containing instant: Date, timeZone: TimeZone) -> TimeWindow {
        let clock = LocalClock(timeZone: timeZone)
        let index = index(ofLocalDay: clock.localDay(at: instant))
        return TimeWindow(start: clock.startOfDay(firstLocalDay(ofIndex: index)), end: clock.startOfDay(firstLocalDay(ofIndex: index + 1)))
    }
}

/// One member's best gain of a metric in one kind of period.
public struct MemberRecord: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var name: String
    public var period: RecordPeriod
    /// The gain, under the snapshot delta rules (never negative; a row new to the hiscores gains nothing the period it
    /// appeared in).
    public var value: Int64
    /// The calendar period it was made in (`[start, end)`, clan time).
    public var window: TimeWindow
    /// The two snapshots that measure it: the last one before the period (or the first inside it when the member
    /// had none before: `partial`) and the last one inside it.
    public var from: SnapshotMark
    public var to: SnapshotMark
    public var partial: Bool
    /// Started unranked, so the gain is a lower bound.
    public var estimated: Bool

    public init(accountID: Int64, name: String, period: RecordPeriod, value: Int64, window: TimeWindow, from: SnapshotMark, to: SnapshotMark,
                partial: Bool, estimated: Bool) {
        self.accountID = accountID
        self.name = name
        self.period = period
        self.value = value
        self.window = window
        self.from = from
        self.to = to
        self.partial = partial
        self.estimated = estimated
    }
}

/// A metric's records: every member's best day, week and month, and so the clan's records (the top of each list).
///
/// Definition: a member's gain in a calendar day, week or month (clan time) runs from their last snapshot before the
/// period (or their first inside it when there is none before) to their last snapshot inside it, under the same rules
/// as leaderboards (unranked starts, rows new to the hiscores, rollbacks never negative). Snapshots flagged as a
/// rollback are left out. A member's record for a period kind is their best such period; ties keep the earliest.
public struct MetricRecords: Sendable, Hashable, Codable {
    public var metric: LeaderboardMetric
    public var generatedAt: Date
    /// Per period: each member's record with a gain above zero, best first (ties by name).
    public var byPeriod: [RecordPeriod: [MemberRecord]]

    public init(metric: LeaderboardMetric, generatedAt: Date, byPeriod: [RecordPeriod: [MemberRecord]]) {
        self.metric = metric
        self.generatedAt = generatedAt
        self.byPeriod = byPeriod
    }

    public func records(_ period: RecordPeriod) -> [MemberRecord] { byPeriod[period] ?? [] }

    /// One member's record in each period kind (nil where they have none).
    public func member(_ accountID: Int64) -> [RecordPeriod: MemberRecord] {
        var found: [RecordPeriod: MemberRecord] = [:]
        for (period, rows) in byPeriod { found[period] = rows.first { $0.accountID == accountID } }
        return found
    }

    /// Builds the records from each member's snapshots holding the metric's row (oldest first; a snapshot that lacks
    /// the row has an empty record: the row was absent then).
    public static func build(metric: LeaderboardMetric, timeZone: TimeZone, generatedAt: Date,
                             members: [(accountID: Int64, name: String, snapshots: [PlayerSnapshot])]) -> MetricRecords {
        let clock = LocalClock(timeZone: timeZone)
        var byPeriod: [RecordPeriod: [MemberRecord]] = [:]
        for member in members where member.snapshots.count >= 2 {
            let days = member.snapshots.map { clock.localDay(at: $0.fetchedAt) }
            for period in RecordPeriod.allCases {
                if let best = best(metric: metric, period: period, clock: clock, member: member, days: days) {
                    byPeriod[period, default: []].append(best)
                }
            }
        }
        for period in RecordPeriod.allCases {
            byPeriod[period]?.sort { ($0.value, $1.name.lowercased(), $1.accountID) > ($1.value, $0.name.lowercased(), $0.accountID) }
        }
        return MetricRecords(metric: metric, generatedAt: generatedAt, byPeriod: byPeriod)
    }

    /// The member's best period of one kind; nil when no period gained anything.
    static func best(metric: LeaderboardMetric, period: RecordPeriod, clock: LocalClock,
                     member: (accountID: Int64, name: String, snapshots: [PlayerSnapshot]), days: [Int64]) -> MemberRecord? {
        let snapshots = member.snapshots
        var best: MemberRecord?
        var groupStart = 0
        while groupStart < snapshots.count {
            let index = period.index(ofLocalDay: days[groupStart])
            var groupEnd = groupStart
            while groupEnd + 1 < snapshots.count, period.index(ofLocalDay: days[groupEnd + 1]) == index { groupEnd += 1 }
            let partial = groupStart == 0
            let baseline = partial ? snapshots[groupStart] : snapshots[groupStart - 1]
            let end = snapshots[groupEnd]
            if baseline.id != end.id {
                let (value, change) = metric.gain(in: SnapshotDelta(from: baseline, to: end))
                if value > 0, value > (best?.value ?? 0) {
                    let window = TimeWindow(start: clock.startOfDay(period.firstLocalDay(ofIndex: index)),
                                            end: clock.startOfDay(period.firstLocalDay(ofIndex: index + 1)))
                    best = MemberRecord(accountID: member.accountID, name: member.name, period: period, value: value, window: window,
                                        from: SnapshotMark(id: baseline.id, at: baseline.fetchedAt), to: SnapshotMark(id: end.id, at: end.fetchedAt),
                                        partial: partial, estimated: change?.isEstimate ?? false)
                }
            }
            groupStart = groupEnd + 1
        }
        return best
    }
}
