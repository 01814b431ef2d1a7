import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

/// `SnapshotRepository.list` reads a whole history in three queries; each snapshot must come back exactly as
/// `get(id:)` reads it alone (rows in served order, a row only some snapshots have, rollback flags).
@Suite(.databaseTests) struct SnapshotListTests {
    @Test(arguments: TestDatabaseBackend.all) func aListedHistoryEqualsEachSnapshotReadAlone(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let account = try Fixtures.account(db, "listed")
        let other = try Fixtures.account(db, "someone else")
        var ids: [Int64] = []
        for hour in 0..<6 {
            // A boss appears at hour 2, a new activity at hour 4, and hour 3 is flagged as a rollback.
            let record = Fixtures.record(gain: Int64(hour) * 1000, zulrah: hour >= 2 ? 10 + hour : -1, extraActivity: hour >= 4 ? "Brand New Boss" : nil)
            ids.append(try db.snapshots.insert(accountID: account.id, fetchedAt: Fixtures.at(hours: Double(hour)), requestedBoard: .ironman,
                                               resolvedType: hour == 0 ? nil : .ironman, latencyMs: hour, record: record,
                                               rollbackRows: hour == 3 ? ["Attack"] : []).id)
            try db.snapshots.insert(accountID: other.id, fetchedAt: Fixtures.at(hours: Double(hour)), requestedBoard: .regular, resolvedType: nil,
                                    latencyMs: 1, record: Fixtures.record(gain: 7))
        }
        let all = try db.snapshots.list(accountID: account.id, from: .distantPast, through: .distantFuture)
        #expect(all == (try ids.map { try db.snapshots.get(id: $0) }))
        #expect(all[3].isRollback && !all[2].isRollback)
        #expect(all[5].record.activity(named: "Brand New Boss")?.score == 42 && all[3].record.activity(named: "Brand New Boss") == nil)
        let window = try db.snapshots.list(accountID: account.id, from: Fixtures.at(hours: 1), through: Fixtures.at(hours: 3))
        #expect(window == (try ids[1...3].map { try db.snapshots.get(id: $0) }))
        #expect(try db.snapshots.list(accountID: account.id, from: Fixtures.at(hours: 10), through: Fixtures.at(hours: 20)).isEmpty)
    }
}
