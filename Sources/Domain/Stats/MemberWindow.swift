import Foundation

/// A stored snapshot's identity and time, enough to say which snapshots bound a member's window.
public struct SnapshotMark: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Date

    public init(id: Int64, at: Date) {
        self.id = id
        self.at = at
    }
}

/// Which two snapshots measure one member over a window.
///
/// The baseline is the last snapshot at or before the window's start; if there is none, the first
/// inside the window, and the member is flagged `partial`. The end is the last snapshot at or before
/// the window's end. A member has data only when the end comes after the baseline.
public struct WindowBounds: Sendable, Hashable, Codable {
    public var baseline: SnapshotMark?
    public var end: SnapshotMark?
    public var partial: Bool

    public init(baseline: SnapshotMark?, end: SnapshotMark?, partial: Bool) {
        self.baseline = baseline
        self.end = end
        self.partial = partial
    }

    /// Picks the bounds from a member's snapshots (any order). The storage query applies the same rule in SQL.
    public static func select(from snapshots: [SnapshotMark], in window: TimeWindow) -> WindowBounds {
        let atOrBeforeStart = snapshots.filter { $0.at <= window.start }.max { ($0.at, $0.id) < ($1.at, $1.id) }
        let inside = snapshots.filter { $0.at > window.start && $0.at <= window.end }
        let end = (inside + (atOrBeforeStart.map { [$0] } ?? [])).max { ($0.at, $0.id) < ($1.at, $1.id) }
        if let atOrBeforeStart { return WindowBounds(baseline: atOrBeforeStart, end: end, partial: false) }
        let firstInside = inside.min { ($0.at, $0.id) < ($1.at, $1.id) }
        return WindowBounds(baseline: firstInside, end: end, partial: firstInside != nil)
    }

    /// True when two different snapshots bound the window, so a gain can be measured.
    public var hasData: Bool {
        guard let baseline, let end else { return false }
        return end.id != baseline.id && end.at >= baseline.at
    }
}

/// One member's window: who, which snapshots, and the hiscores rows those snapshots hold
/// (all of them for stats, only the rows a leaderboard needs for a leaderboard).
public struct MemberWindow: Sendable, Hashable {
    public var accountID: Int64
    public var name: String
    public var bounds: WindowBounds
    public var baselineRecord: HiscoresRecord
    public var endRecord: HiscoresRecord

    public init(accountID: Int64, name: String, bounds: WindowBounds, baselineRecord: HiscoresRecord, endRecord: HiscoresRecord) {
        self.accountID = accountID
        self.name = name
        self.bounds = bounds
        self.baselineRecord = baselineRecord
        self.endRecord = endRecord
    }

    /// The change across the window under the snapshot delta rules (unranked starts, rollbacks);
    /// nil when the member has no data in the window.
    public func delta() -> SnapshotDelta? {
        guard bounds.hasData, let baseline = bounds.baseline, let end = bounds.end else { return nil }
        return SnapshotDelta(
            from: PlayerSnapshot(id: baseline.id, accountID: accountID, fetchedAt: baseline.at, requestedBoard: .regular,
                                 resolvedType: nil, latencyMs: 0, record: baselineRecord),
            to: PlayerSnapshot(id: end.id, accountID: accountID, fetchedAt: end.at, requestedBoard: .regular,
                               resolvedType: nil, latencyMs: 0, record: endRecord))
    }
}

/// A member named in a report.
public struct MemberRef: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var name: String

    public init(accountID: Int64, name: String) {
        self.accountID = accountID
        self.name = name
    }
}
