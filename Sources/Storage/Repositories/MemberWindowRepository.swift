import Domain
import Foundation

/// Fetches, for every active member of a clan, the two snapshots that bound a window and the
/// hiscores rows they hold, straight from the long tables (no JSON per row).
///
/// The bounds follow `WindowBounds.select`: baseline = last snapshot at or before the start, else the
/// first inside (partial); end = last snapshot at or before the end. Each correlated subquery is one
/// seek on `snapshots_by_account_time`. Snapshots flagged as a hiscores rollback are never a bound:
/// a window is measured from the snapshots around them, so a rollback's dip and recovery gain nothing.
public struct MemberWindowRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// What to read for each member: every skill and activity (stats) or a single row (a leaderboard).
    public enum Rows: Sendable, Hashable {
        case all
        case one(MetricRow)
    }

    static let boundsCTE = """
        WITH members AS (
            SELECT a.id AS account_id, a.display_name AS name
            FROM clan_members m JOIN accounts a ON a.id = m.account_id
            WHERE m.clan_id = :clan AND m.is_active = 1
        ), picks AS (
            SELECT account_id, name,
                (SELECT s.id FROM snapshots s WHERE s.account_id = members.account_id AND s.rollback_rows IS NULL AND s.fetched_at <= :start
                    ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1) AS before_id,
                (SELECT s.id FROM snapshots s WHERE s.account_id = members.account_id AND s.rollback_rows IS NULL AND s.fetched_at > :start AND s.fetched_at <= :end
                    ORDER BY s.fetched_at ASC, s.id ASC LIMIT 1) AS first_inside_id,
                (SELECT s.id FROM snapshots s WHERE s.account_id = members.account_id AND s.rollback_rows IS NULL AND s.fetched_at <= :end
                    ORDER BY s.fetched_at DESC, s.id DESC LIMIT 1) AS end_id
            FROM members
        ), bounds AS (
            SELECT account_id, name, COALESCE(before_id, first_inside_id) AS baseline_id,
                   (before_id IS NULL AND first_inside_id IS NOT NULL) AS partial, end_id
            FROM picks
        )
        """

    static let boundsSQL = boundsCTE + """
        SELECT b.account_id, b.name, b.baseline_id, bs.fetched_at, b.end_id, es.fetched_at, b.partial
        FROM bounds b
        LEFT JOIN snapshots bs ON bs.id = b.baseline_id
        LEFT JOIN snapshots es ON es.id = b.end_id
        ORDER BY b.account_id
        """

    static let oneSkillSQL = boundsCTE + """
        SELECT b.account_id, b.name, b.baseline_id, bs.fetched_at, b.end_id, es.fetched_at, b.partial,
               sb.rank, sb.level, sb.xp, se.rank, se.level, se.xp
        FROM bounds b
        LEFT JOIN snapshots bs ON bs.id = b.baseline_id
        LEFT JOIN snapshots es ON es.id = b.end_id
        LEFT JOIN snapshot_skills sb ON sb.snapshot_id = b.baseline_id AND sb.skill_id = :row
        LEFT JOIN snapshot_skills se ON se.snapshot_id = b.end_id AND se.skill_id = :row
        ORDER BY b.account_id
        """

    static let oneActivitySQL = boundsCTE + """
        SELECT b.account_id, b.name, b.baseline_id, bs.fetched_at, b.end_id, es.fetched_at, b.partial,
               ab.rank, 0, ab.score, ae.rank, 0, ae.score
        FROM bounds b
        LEFT JOIN snapshots bs ON bs.id = b.baseline_id
        LEFT JOIN snapshots es ON es.id = b.end_id
        LEFT JOIN snapshot_activities ab ON ab.snapshot_id = b.baseline_id AND ab.activity_id = :row
        LEFT JOIN snapshot_activities ae ON ae.snapshot_id = b.end_id AND ae.activity_id = :row
        ORDER BY b.account_id
        """

    // Rows come out in primary-key order (snapshot, metric id); names are looked up in memory from the
    // small skills/activities tables instead of joined and copied out for every row.
    static func allSkillsSQL(_ db: Database) -> String {
        """
        SELECT ss.snapshot_id, ss.skill_id, ss.rank, ss.level, ss.xp
        FROM \(db.jsonArrayElements(":ids", as: "j"))
        JOIN snapshot_skills ss ON ss.snapshot_id = CAST(j.value AS BIGINT)
        """
    }

    static func allActivitiesSQL(_ db: Database) -> String {
        """
        SELECT sa.snapshot_id, sa.activity_id, sa.rank, sa.score
        FROM \(db.jsonArrayElements(":ids", as: "j"))
        JOIN snapshot_activities sa ON sa.snapshot_id = CAST(j.value AS BIGINT)
        """
    }

    /// Every active member of `clanID` with their window over `window`, ordered by account id.
    public func fetch(clanID: Int64, window: TimeWindow, rows: Rows) throws -> [MemberWindow] {
        switch rows {
        case .one(let row): return try fetchOne(clanID: clanID, window: window, row: row)
        case .all: return try fetchAll(clanID: clanID, window: window)
        }
    }

    /// The stored name (as the hiscores spell it) and id of a skill or activity, matched without case.
    public func resolve(row: MetricRow) throws -> (id: Int64, name: String) {
        let table: String
        let name: String
        switch row {
        case .skill(let skill): (table, name) = ("skills", skill)
        case .activity(let activity): (table, name) = ("activities", activity)
        }
        if let found = try db.queryFirst("SELECT id, name FROM \(table) WHERE lower(name) = lower(?)", [name], {
            (try $0.int64(0), try $0.string(1))
        }) {
            return found
        }
        let prefix = String(name.prefix(3))
        let suggestions = try db.query(
            "SELECT name FROM \(table) WHERE lower(name) LIKE lower(?) ORDER BY display_order LIMIT 5", [prefix + "%"]) { try $0.string(0) }
        throw UnknownMetricRow(row: row, suggestions: suggestions)
    }

    private func bounds(_ row: Row) throws -> WindowBounds {
        let baseline: SnapshotMark? = row.isNull(2) ? nil : SnapshotMark(id: try row.int64(2), at: try row.date(3))
        let end: SnapshotMark? = row.isNull(4) ? nil : SnapshotMark(id: try row.int64(4), at: try row.date(5))
        return WindowBounds(baseline: baseline, end: end, partial: try row.int64(6) != 0)
    }

    private func fetchOne(clanID: Int64, window: TimeWindow, row metric: MetricRow) throws -> [MemberWindow] {
        let (rowID, name) = try resolve(row: metric)
        let isSkill: Bool
        if case .skill = metric { isSkill = true } else { isSkill = false }
        let arguments: [any SQLBindable] = [clanID, window.start, window.end, rowID]
        return try db.query(isSkill ? Self.oneSkillSQL : Self.oneActivitySQL, arguments) { row in
            let bounds = try bounds(row)
            func record(_ at: Int) throws -> HiscoresRecord {
                guard !row.isNull(at) else { return HiscoresRecord(skills: [], activities: []) }
                let rank = try row.int64(at)
                if isSkill {
                    return HiscoresRecord(skills: [SkillScore(name: name, rank: Int(rank), level: Int(try row.int64(at + 1)), xp: try row.int64(at + 2))],
                                          activities: [])
                }
                return HiscoresRecord(skills: [], activities: [ActivityScore(name: name, rank: Int(rank), score: Int(try row.int64(at + 2)))])
            }
            return MemberWindow(accountID: try row.int64(0), name: try row.string(1), bounds: bounds,
                                baselineRecord: try record(7), endRecord: try record(10))
        }
    }

    private func fetchAll(clanID: Int64, window: TimeWindow) throws -> [MemberWindow] {
        let arguments: [any SQLBindable] = [clanID, window.start, window.end]
        var members = try db.query(Self.boundsSQL, arguments) { row in
            MemberWindow(accountID: try row.int64(0), name: try row.string(1), bounds: try bounds(row),
                         baselineRecord: HiscoresRecord(skills: [], activities: []),
                         endRecord: HiscoresRecord(skills: [], activities: []))
        }
        var ids = Set<Int64>()
        for member in members where member.bounds.hasData {
            if let baseline = member.bounds.baseline { ids.insert(baseline.id) }
            if let end = member.bounds.end { ids.insert(end.id) }
        }
        guard !ids.isEmpty else { return members }
        let idList = "[" + ids.sorted().map(String.init).joined(separator: ",") + "]"
        var skillNames: [Int64: String] = [:]
        try db.forEach("SELECT id, name FROM skills", []) { skillNames[try $0.int64(0)] = try $0.string(1) }
        var activityNames: [Int64: String] = [:]
        try db.forEach("SELECT id, name FROM activities", []) { activityNames[try $0.int64(0)] = try $0.string(1) }
        var records: [Int64: HiscoresRecord] = [:]
        records.reserveCapacity(ids.count)
        try db.forEach(Self.allSkillsSQL(db), [idList]) { row in
            let name = skillNames[try row.int64(1)] ?? ""
            let score = SkillScore(name: name, rank: Int(try row.int64(2)), level: Int(try row.int64(3)), xp: try row.int64(4))
            records[try row.int64(0), default: HiscoresRecord(skills: [], activities: [])].skills.append(score)
        }
        try db.forEach(Self.allActivitiesSQL(db), [idList]) { row in
            let name = activityNames[try row.int64(1)] ?? ""
            let score = ActivityScore(name: name, rank: Int(try row.int64(2)), score: Int(try row.int64(3)))
            records[try row.int64(0), default: HiscoresRecord(skills: [], activities: [])].activities.append(score)
        }
        let empty = HiscoresRecord(skills: [], activities: [])
        for index in members.indices where members[index].bounds.hasData {
            if let baseline = members[index].bounds.baseline { members[index].baselineRecord = records[baseline.id] ?? empty }
            if let end = members[index].bounds.end { members[index].endRecord = records[end.id] ?? empty }
        }
        return members
    }
}
