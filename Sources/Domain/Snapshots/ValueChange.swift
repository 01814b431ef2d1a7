/// How one hiscores value (skill xp, activity score) moved between two snapshots.
public enum ChangeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Ranked in both, same value.
    case unchanged
    /// Ranked in both, higher at the end: `gained` is the difference.
    case increased
    /// Unranked (-1) at the start, ranked at the end: `gained` is estimated (see `ValueChange`).
    case enteredRanking
    /// Ranked at the start, unranked at the end (fell off the board): not a loss, `gained` is 0.
    case leftRanking
    /// Ranked in both, lower at the end: a hiscores rollback (or a rating that fell). `gained` is 0
    /// and `decrease` says by how much; it is never reported as a negative gain.
    case decreased
    /// Unranked in both.
    case unranked
    /// The row was absent from the earlier snapshot: new to the hiscores (a new skill such as Sailing, a new
    /// boss). It starts from its first value, so `start == end` and nothing counts as gained.
    case appeared
}

/// A value at the start and end of a window, and what counts as gained.
///
/// The rule for a start that is unranked (-1) follows the trackers (Wise Old Man's delta rule):
/// the player had at most `minimum - 1` before appearing, so the gain counted is
/// `max(0, end - (minimum - 1))`, never `end + 1`. A boss needing 5 kills going from -1 to 73 gains 69;
/// a clue tier (minimum 1) from -1 to 4 gains 4. Where nothing is known, `floor` is nil and the gain is 0.
public struct ValueChange: Sendable, Hashable, Codable {
    /// As served; -1 means unranked.
    public let start: Int64
    /// As served; -1 means unranked.
    public let end: Int64
    /// What leaderboards and contest rules count. Never negative.
    public let gained: Int64
    public let kind: ChangeKind

    public init(start: Int64, end: Int64, gained: Int64, kind: ChangeKind) {
        self.start = start
        self.end = end
        self.gained = gained
        self.kind = kind
    }

    /// How far the value went down (hiscores rollback); 0 unless `kind == .decreased`.
    var decrease: Int64 { kind == .decreased ? start - end : 0 }

    /// True when `gained` is a lower bound rather than an exact difference.
    var isEstimate: Bool { kind == .enteredRanking }

    /// A row the earlier snapshot did not have at all, first served as `end`: counted from that value.
    public static func appeared(at end: Int64) -> ValueChange {
        ValueChange(start: end, end: end, gained: 0, kind: .appeared)
    }

    /// Classifies a move from `start` to `end`. `unrankedFloor` is the most the player can have had while
    /// unranked (minimum to rank minus one); nil when a move out of unranked must count as no gain.
    public static func between(_ start: Int64, _ end: Int64, unrankedFloor: Int64?) -> ValueChange {
        switch (start >= 0, end >= 0) {
        case (false, false):
            return ValueChange(start: start, end: end, gained: 0, kind: .unranked)
        case (false, true):
            let gained = unrankedFloor.map { max(0, end - max(0, $0)) } ?? 0
            return ValueChange(start: start, end: end, gained: gained, kind: .enteredRanking)
        case (true, false):
            return ValueChange(start: start, end: end, gained: 0, kind: .leftRanking)
        case (true, true):
            if end > start { return ValueChange(start: start, end: end, gained: end - start, kind: .increased) }
            if end == start { return ValueChange(start: start, end: end, gained: 0, kind: .unchanged) }
            return ValueChange(start: start, end: end, gained: 0, kind: .decreased)
        }
    }
}
