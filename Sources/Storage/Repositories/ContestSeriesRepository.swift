import Domain
import Foundation

/// Recurring contests (`contest_series`) and the editions made from them (`contest_series_editions`).
/// An edition is claimed with an insert that does nothing when another process claimed the same edition or slot
/// first (`claim`), in the transaction that creates its contest, so each edition is made exactly once.
public struct ContestSeriesRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// One edition made from a series.
    public struct Edition: Sendable, Hashable {
        public var edition: Int
        public var slot: Int
        public var contestID: Int64?
    }

    static let columns = """
        id, clan_id, name, kind, rule_type, metrics, threshold, weight, winners_count, prize, randomness_mode, team_count, \
        first_start_local, cadence_days, duration_days, status, created_by, created_at
        """

    /// Stores a new series (its template was checked by `ContestSeries.init`); nil when the clan already has a series
    /// of that name (compared without regard to case).
    public func create(_ series: ContestSeries, now: Date) throws -> ContestSeries? {
        let metrics = String(decoding: try JSONEncoder().encode(series.metrics), as: UTF8.self)
        let inserted = try db.execute(
            """
            INSERT INTO contest_series (clan_id, name, normalised_name, kind, rule_type, metrics, threshold, weight, winners_count, prize,
                                        randomness_mode, team_count, first_start_local, cadence_days, duration_days, status, created_by,
                                        created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (clan_id, normalised_name) DO NOTHING
            """,
            [series.clanID, series.name, series.name.lowercased(), series.kind.rawValue, series.ruleKind.rawValue, metrics, series.threshold,
             series.weight, series.winnersCount, series.prize, series.randomness.rawValue, series.teamCount, series.firstStartLocal,
             series.cadenceDays, series.durationDays, series.status.rawValue, series.createdBy, now, now])
        guard inserted == 1 else { return nil }
        return try find(id: db.lastInsertRowID)
    }

    public func find(id: Int64) throws -> ContestSeries? {
        try db.queryFirst("SELECT \(Self.columns) FROM contest_series WHERE id = ?", [id]) { try Self.decode($0) }
    }

    /// The clan's series called `name` (without regard to case).
    public func find(clanID: Int64, name: String) throws -> ContestSeries? {
        try db.queryFirst("SELECT \(Self.columns) FROM contest_series WHERE clan_id = ? AND normalised_name = ?",
                          [clanID, name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()]) { try Self.decode($0) }
    }

    /// The clan's series, oldest first.
    public func list(clanID: Int64) throws -> [ContestSeries] {
        try db.query("SELECT \(Self.columns) FROM contest_series WHERE clan_id = ? ORDER BY id", [clanID]) { try Self.decode($0) }
    }

    /// Every clan's series in `status`, oldest first (the loop reads the running ones).
    public func list(status: ContestSeriesStatus) throws -> [ContestSeries] {
        try db.query("SELECT \(Self.columns) FROM contest_series WHERE status = ? ORDER BY id", [status.rawValue]) { try Self.decode($0) }
    }

    /// Pauses, resumes or stops a series; a stopped one stays stopped. Returns the series as stored.
    public func setStatus(id: Int64, _ status: ContestSeriesStatus, now: Date) throws -> ContestSeries? {
        _ = try db.execute("UPDATE contest_series SET status = ?, updated_at = ? WHERE id = ? AND status <> 'stopped'", [status.rawValue, now, id])
        return try find(id: id)
    }

    /// The editions made so far, oldest first.
    public func editions(seriesID: Int64) throws -> [Edition] {
        try db.query("SELECT edition, slot, contest_id FROM contest_series_editions WHERE series_id = ? ORDER BY edition", [seriesID]) {
            Edition(edition: try $0.int(0), slot: try $0.int(1), contestID: try $0.get(2))
        }
    }

    /// The newest edition, or nil before the first.
    public func lastEdition(seriesID: Int64) throws -> Edition? {
        try db.queryFirst("SELECT edition, slot, contest_id FROM contest_series_editions WHERE series_id = ? ORDER BY edition DESC LIMIT 1",
                          [seriesID]) { Edition(edition: try $0.int(0), slot: try $0.int(1), contestID: try $0.get(2)) }
    }

    /// Claims edition `edition` for `slot`: true when this call made the row, false when it existed already (another
    /// process, or an earlier pass, claimed the edition or the slot). Insert-or-nothing, so it is safe to race.
    public func claim(seriesID: Int64, edition: Int, slot: Int, now: Date) throws -> Bool {
        try db.execute(
            "INSERT INTO contest_series_editions (series_id, edition, slot, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [seriesID, edition, slot, now]) == 1
    }

    /// The contests of every series' editions that have ended and are not drawn yet, oldest first.
    public func endedEditionContests() throws -> [Int64] {
        try db.query(
            """
            SELECT c.id FROM contest_series_editions e JOIN contests c ON c.id = e.contest_id
            WHERE c.status = 'ended' ORDER BY c.end_at, c.id
            """) { try $0.int64(0) }
    }

    /// Records the contest made for a claimed edition.
    public func attach(seriesID: Int64, edition: Int, contestID: Int64) throws {
        _ = try db.execute("UPDATE contest_series_editions SET contest_id = ? WHERE series_id = ? AND edition = ?", [contestID, seriesID, edition])
    }

    static func decode(_ row: Row) throws -> ContestSeries {
        let id = try row.int64(0)
        func unreadable(_ detail: String) -> ContestStorageError { .inconsistent("series \(id) could not be read back: \(detail)") }
        guard let kind = ContestKind(rawValue: try row.string(3)) else { throw unreadable("unknown kind") }
        guard let ruleKind = ContestRule.Kind(rawValue: try row.string(4)) else { throw unreadable("unknown rule type") }
        guard let metrics = try? JSONDecoder().decode([String].self, from: Data(try row.string(5).utf8)) else { throw unreadable("metrics") }
        guard let randomness = ContestRandomnessChoice(rawValue: try row.string(10)) else { throw unreadable("unknown randomness") }
        guard let status = ContestSeriesStatus(rawValue: try row.string(15)) else { throw unreadable("unknown status") }
        do {
            return try ContestSeries(
                id: id, clanID: try row.int64(1), name: try row.string(2), kind: kind, ruleKind: ruleKind, metrics: metrics,
                threshold: try row.int64(6), weight: try row.int(7), winnersCount: try row.int(8), prize: try row.get(9), randomness: randomness,
                teamCount: try row.get(11), firstStartLocal: try row.int64(12), cadenceDays: try row.int(13), durationDays: try row.int(14),
                status: status, createdBy: try row.get(16), createdAt: try row.date(17))
        } catch let error as ContestSeriesError {
            throw unreadable(error.description)
        }
    }
}
