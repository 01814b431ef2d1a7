import Domain
import Foundation

/// Hiscores snapshots: one row per fetch, plus one row per skill and per activity (long tables),
/// so leaderboards and deltas over many members run in SQL.
public struct SnapshotRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "id, account_id, fetched_at, requested_mode, resolved_mode, latency_ms, rollback_rows"

    /// Stores a whole hiscores response in one transaction: the snapshot, every skill and activity as
    /// served (-1 stays -1), new metric names added to `skills`/`activities`, and the account's
    /// first/last snapshot times. `rollbackRows` flags the snapshot as a hiscores rollback (see `RollbackCheck`).
    /// Returns the stored snapshot.
    @discardableResult
    public func insert(
        accountID: Int64, fetchedAt: Date, requestedBoard: HiscoresBoard, resolvedType: AccountType?,
        latencyMs: Int, record: HiscoresRecord, rollbackRows: [String] = []
    ) throws -> PlayerSnapshot {
        try validate(record: record, latencyMs: latencyMs)
        return try db.transaction {
            let overall = record.overall
            try translatingConstraints({
                try db.execute(
                    """
                    INSERT INTO snapshots (account_id, fetched_at, requested_mode, resolved_mode, latency_ms, total_xp, total_level, rollback_rows)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [accountID, fetchedAt, requestedBoard, resolvedType, latencyMs, overall?.xp ?? -1, overall?.level ?? -1,
                     Self.encode(rollbackRows)])
            }) { error in
                error.isForeignKeyViolation ? .unknownAccount("with id \(accountID)") : nil
            }
            let snapshotID = try db.lastInsertRowID
            try translatingConstraints({ try insertRows(snapshotID: snapshotID, record: record) }) { error in
                error.isUniqueViolation
                    ? .invalidSnapshot("the response lists the same skill or activity twice (names compare without case)") : nil
            }
            try db.execute(
                """
                UPDATE accounts SET
                    first_snapshot_at = CASE WHEN first_snapshot_at IS NULL OR first_snapshot_at > ?1 THEN ?1 ELSE first_snapshot_at END,
                    last_snapshot_at = CASE WHEN last_snapshot_at IS NULL OR last_snapshot_at < ?1 THEN ?1 ELSE last_snapshot_at END,
                    updated_at = ?1
                WHERE id = ?2
                """,
                [fetchedAt, accountID])
            return PlayerSnapshot(
                id: snapshotID, accountID: accountID, fetchedAt: Date(epochMilliseconds: fetchedAt.epochMilliseconds),
                requestedBoard: requestedBoard, resolvedType: resolvedType, latencyMs: latencyMs, record: record,
                rollbackRows: rollbackRows)
        }
    }

    /// The snapshot with `id`, with its whole record.
    public func get(id: Int64) throws -> PlayerSnapshot {
        guard let snapshot = try one("SELECT \(Self.columns) FROM snapshots WHERE id = ?", [id]) else {
            throw StorageError.unknownSnapshot(id)
        }
        return snapshot
    }

    /// The account's most recent snapshot.
    public func latest(accountID: Int64) throws -> PlayerSnapshot? {
        try one("SELECT \(Self.columns) FROM snapshots WHERE account_id = ? ORDER BY fetched_at DESC, id DESC LIMIT 1", [accountID])
    }

    /// The account's most recent snapshot not flagged as a rollback: what a new snapshot is measured against
    /// for rollbacks and achievements.
    public func latestMeasurable(accountID: Int64) throws -> PlayerSnapshot? {
        try one("SELECT \(Self.columns) FROM snapshots WHERE account_id = ? AND rollback_rows IS NULL ORDER BY fetched_at DESC, id DESC LIMIT 1",
                [accountID])
    }

    /// The account's last snapshot at or before `date` (a window's baseline).
    public func latest(accountID: Int64, atOrBefore date: Date) throws -> PlayerSnapshot? {
        try one(
            "SELECT \(Self.columns) FROM snapshots WHERE account_id = ? AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
            [accountID, date])
    }

    /// The account's first snapshot inside `start...end` (the baseline when none precedes the window).
    public func first(accountID: Int64, from start: Date, through end: Date) throws -> PlayerSnapshot? {
        try one(
            "SELECT \(Self.columns) FROM snapshots WHERE account_id = ? AND fetched_at >= ? AND fetched_at <= ? ORDER BY fetched_at, id LIMIT 1",
            [accountID, start, end])
    }

    /// Every snapshot of the account inside `start...end`, oldest first. Three queries whatever the number of
    /// snapshots (headers, then every skill row, then every activity row), not two per snapshot: a member's year is
    /// 365 snapshots.
    public func list(accountID: Int64, from start: Date, through end: Date) throws -> [PlayerSnapshot] {
        let arguments: [any SQLBindable] = [accountID, start, end]
        let headers = try db.query(
            "SELECT \(Self.columns) FROM snapshots WHERE account_id = ? AND fetched_at >= ? AND fetched_at <= ? ORDER BY fetched_at, id",
            arguments) { try Header(row: $0) }
        guard !headers.isEmpty else { return [] }
        // Names come from the small metric tables, once; rows in the order `load` gives them.
        var skillNames: [Int64: String] = [:]
        try db.forEach("SELECT id, name FROM skills", []) { skillNames[try $0.int64(0)] = try $0.string(1) }
        var activityNames: [Int64: String] = [:]
        try db.forEach("SELECT id, name FROM activities", []) { activityNames[try $0.int64(0)] = try $0.string(1) }
        var records: [Int64: HiscoresRecord] = [:]
        records.reserveCapacity(headers.count)
        try db.forEach("""
            SELECT r.snapshot_id, r.skill_id, r.rank, r.level, r.xp
            FROM snapshots s JOIN snapshot_skills r ON r.snapshot_id = s.id JOIN skills k ON k.id = r.skill_id
            WHERE s.account_id = ? AND s.fetched_at >= ? AND s.fetched_at <= ?
            ORDER BY r.snapshot_id, k.display_order, k.id
            """, arguments) { row in
            let score = SkillScore(name: skillNames[try row.int64(1)] ?? "", rank: try row.int(2), level: try row.int(3), xp: try row.int64(4))
            records[try row.int64(0), default: HiscoresRecord(skills: [], activities: [])].skills.append(score)
        }
        try db.forEach("""
            SELECT r.snapshot_id, r.activity_id, r.rank, r.score
            FROM snapshots s JOIN snapshot_activities r ON r.snapshot_id = s.id JOIN activities a ON a.id = r.activity_id
            WHERE s.account_id = ? AND s.fetched_at >= ? AND s.fetched_at <= ?
            ORDER BY r.snapshot_id, a.display_order, a.id
            """, arguments) { row in
            let score = ActivityScore(name: activityNames[try row.int64(1)] ?? "", rank: try row.int(2), score: try row.int(3))
            records[try row.int64(0), default: HiscoresRecord(skills: [], activities: [])].activities.append(score)
        }
        return headers.map { header in
            PlayerSnapshot(
                id: header.id, accountID: header.accountID, fetchedAt: header.fetchedAt, requestedBoard: header.board,
                resolvedType: header.resolved, latencyMs: header.latencyMs,
                record: records[header.id] ?? HiscoresRecord(skills: [], activities: []), rollbackRows: header.rollbackRows)
        }
    }

    /// How many snapshots the account has.
    public func count(accountID: Int64) throws -> Int {
        try db.scalar("SELECT count(*) FROM snapshots WHERE account_id = ?", [accountID], as: Int.self) ?? 0
    }

    /// Every skill name seen, in the order the hiscores serve them.
    public func skillNames() throws -> [String] {
        try db.query("SELECT name FROM skills ORDER BY display_order, id") { try $0.string(0) }
    }

    /// Every activity name seen with its category, in served order.
    public func activityNames() throws -> [(name: String, category: ActivityCategory)] {
        try db.query("SELECT name, category FROM activities ORDER BY display_order, id") { row in
            let text = try row.string(1)
            return (try row.string(0), ActivityCategory(rawValue: text) ?? .other)
        }
    }

    // MARK: internals

    /// Adds the skill and activity rows of a snapshot.
    private func insertRows(snapshotID: Int64, record: HiscoresRecord) throws {
        // Resolve names first: the row statements below stay bound to their SQL while they loop.
        let skillIDs = try record.skills.enumerated().map { position, skill in
            try metricID(table: "skills", name: skill.name, position: position, category: nil)
        }
        let activityIDs = try record.activities.enumerated().map { position, activity in
            try metricID(table: "activities", name: activity.name, position: position, category: ActivityCategory(activityName: activity.name))
        }
        // The hot path of every ingest: one prepared statement per table on SQLite, a few multi-row ones on PostgreSQL.
        try db.insertRows(
            into: "snapshot_skills", columns: ["snapshot_id", "skill_id", "rank", "level", "xp"],
            rows: zip(record.skills, skillIDs).map { skill, skillID in
                [.integer(snapshotID), .integer(skillID), .integer(Int64(skill.rank)), .integer(Int64(skill.level)), .integer(skill.xp)]
            })
        try db.insertRows(
            into: "snapshot_activities", columns: ["snapshot_id", "activity_id", "rank", "score"],
            rows: zip(record.activities, activityIDs).map { activity, activityID in
                [.integer(snapshotID), .integer(activityID), .integer(Int64(activity.rank)), .integer(Int64(activity.score))]
            })
    }

    private struct Header {
        let id: Int64, accountID: Int64, fetchedAt: Date, board: HiscoresBoard, resolved: AccountType?, latencyMs: Int
        let rollbackRows: [String]
        init(row: Row) throws {
            id = try row.int64(0)
            accountID = try row.int64(1)
            fetchedAt = try row.date(2)
            board = try row.get(3)
            resolved = try row.get(4)
            latencyMs = try row.int(5)
            rollbackRows = try SnapshotRepository.decode(try row.get(6, as: String?.self))
        }
    }

    private func one(_ sql: String, _ arguments: [any SQLBindable]) throws -> PlayerSnapshot? {
        guard let header = try db.queryFirst(sql, arguments, { try Header(row: $0) }) else { return nil }
        return try load(header)
    }

    private func load(_ header: Header) throws -> PlayerSnapshot {
        let skills = try db.query(
            """
            SELECT k.name, s.rank, s.level, s.xp FROM snapshot_skills s JOIN skills k ON k.id = s.skill_id
            WHERE s.snapshot_id = ? ORDER BY k.display_order, k.id
            """,
            [header.id]) { row in
            SkillScore(name: try row.string(0), rank: try row.int(1), level: try row.int(2), xp: try row.int64(3))
        }
        let activities = try db.query(
            """
            SELECT a.name, s.rank, s.score FROM snapshot_activities s JOIN activities a ON a.id = s.activity_id
            WHERE s.snapshot_id = ? ORDER BY a.display_order, a.id
            """,
            [header.id]) { row in
            ActivityScore(name: try row.string(0), rank: try row.int(1), score: try row.int(2))
        }
        return PlayerSnapshot(
            id: header.id, accountID: header.accountID, fetchedAt: header.fetchedAt, requestedBoard: header.board,
            resolvedType: header.resolved, latencyMs: header.latencyMs, record: HiscoresRecord(skills: skills, activities: activities),
            rollbackRows: header.rollbackRows)
    }

    /// The rollback rows as stored: NULL when there are none, else a JSON array of names.
    static func encode(_ rows: [String]) -> String? {
        guard !rows.isEmpty, let data = try? JSONEncoder().encode(rows) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) throws -> [String] {
        guard let text else { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StorageError.invalidSnapshot("a stored snapshot's rollback rows are not a JSON list of names: \(text.prefix(80))")
        }
    }

    /// The id of a metric name, adding it on first sight. Names compare without case, as the tables do.
    private func metricID(table: String, name: String, position: Int, category: ActivityCategory?) throws -> Int64 {
        let key = table + "\u{0}" + name
        if let id = db.metricIDs[key] { return id }
        let id: Int64
        if let existing = try db.scalar("SELECT id FROM \(table) WHERE lower(name) = lower(?)", [name], as: Int64.self) {
            id = existing
        } else if let category {
            try db.execute("INSERT INTO activities (name, category, display_order) VALUES (?, ?, ?)", [name, category.rawValue, position])
            id = try db.lastInsertRowID
        } else {
            try db.execute("INSERT INTO skills (name, display_order) VALUES (?, ?)", [name, position])
            id = try db.lastInsertRowID
        }
        db.metricIDs[key] = id
        return id
    }

    private func validate(record: HiscoresRecord, latencyMs: Int) throws {
        guard latencyMs >= 0 else { throw StorageError.invalidSnapshot("latency cannot be negative (got \(latencyMs) ms)") }
        // Duplicate names are caught by the long tables' primary keys (see `insert`), at no extra cost here.
        if record.skills.contains(where: { $0.name.isEmpty }) || record.activities.contains(where: { $0.name.isEmpty }) {
            throw StorageError.invalidSnapshot("a skill or activity has an empty name")
        }
    }
}
