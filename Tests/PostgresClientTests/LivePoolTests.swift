import Foundation
import Testing
@testable import PostgresClient

/// The pool against the real server: contention, broken connections replaced, timeouts, shut-down.
@Suite(.enabled(if: LivePostgres.isAvailable, LivePostgres.skipNote))
struct LivePoolTests {
    @Test func moreTasksThanConnectionsAllFinishAndNeverExceedTheBound() async throws {
        let pool = PostgresPool(configuration: try LivePostgres.configuration(), maximumConnections: 3)
        let table = LivePostgres.tableName("pool_counter")
        try await pool.query("CREATE TABLE \(table) (task int8 PRIMARY KEY, backend int8)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<40 {
                group.addTask {
                    _ = try await pool.transaction { connection in
                        try await connection.query("INSERT INTO \(table) VALUES ($1, pg_backend_pid())", [.int64(Int64(task))])
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = try await pool.query("SELECT count(*)::int8, count(DISTINCT backend)::int8 FROM \(table)")
        #expect(try counts.rows[0].decode(Int64.self, at: 0) == 40)
        #expect(try counts.rows[0].decode(Int64.self, at: 1) <= 3)
        let statistics = await pool.statistics
        #expect(statistics.open <= 3)
        #expect(statistics.waiting == 0)
        try await pool.query("DROP TABLE \(table)")
        await pool.shutDown()
        await #expect(throws: PostgresError.poolClosed) { try await pool.query("SELECT 1") }
    }

    @Test func aConnectionTerminatedByTheServerIsReplaced() async throws {
        let pool = PostgresPool(configuration: try LivePostgres.configuration(), maximumConnections: 1)
        let first = try await pool.query("SELECT pg_backend_pid()::int8").rows[0].decode(Int64.self, at: 0)
        let admin = try await LivePostgres.connect()
        // Killed in the middle of a transaction: the task sees a typed error…
        do {
            try await pool.transaction { connection in
                try await connection.query("SELECT 1")
                try await admin.query("SELECT pg_terminate_backend($1::int4)", [.int64(first)])
                try await connection.query("SELECT 2")
            }
            Issue.record("the transaction survived its connection")
        } catch is PostgresError {
        }
        // …and the next task gets a fresh connection from the pool.
        let second = try await pool.query("SELECT pg_backend_pid()::int8").rows[0].decode(Int64.self, at: 0)
        #expect(second != first)
        // Killed while idle in the pool: noticed and replaced too.
        let idle = try await pool.withConnection { $0 }
        try await admin.query("SELECT pg_terminate_backend($1::int4)", [.int64(second)])
        for await _ in idle.notifications {}  // finishes once the connection has seen its end
        #expect(idle.endReason?.sqlState == "57P01")
        let third = try await pool.query("SELECT pg_backend_pid()::int8").rows[0].decode(Int64.self, at: 0)
        #expect(third != second)
        #expect(await pool.statistics.open == 1)
        await admin.close()
        await pool.shutDown()
    }

    @Test func aTLSPoolSharesOneVerifiedContextAcrossItsConnections() async throws {
        let configuration = try LivePostgres.configuration {
            $0.sslMode = .verifyFull
            $0.sslRootCertificate = LivePostgres.caFile
        }
        let pool = PostgresPool(configuration: configuration, maximumConnections: 2)
        let encrypted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await pool.withConnection { connection in
                        let result = try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                        try await connection.query("SELECT pg_sleep(0.02)")
                        return try result.rows[0].decode(Bool.self, at: 0)
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(encrypted == Array(repeating: true, count: 6))
        #expect(await pool.statistics.open <= 2)
        await pool.shutDown()
    }

    @Test func aWaiterGivesUpAfterTheAcquireTimeout() async throws {
        let pool = PostgresPool(configuration: try LivePostgres.configuration(), maximumConnections: 1, acquireTimeout: .milliseconds(300))
        try await pool.withConnection { _ in
            await #expect(throws: PostgresError.poolTimedOut(seconds: 0.3)) { try await pool.query("SELECT 1") }
        }
        #expect(try await pool.query("SELECT 1").rows.count == 1)
        await pool.shutDown()
    }

    @Test func aConnectionLeftInATransactionIsNotHandedOut() async throws {
        let pool = PostgresPool(configuration: try LivePostgres.configuration(), maximumConnections: 1)
        try await pool.withConnection { connection in try await connection.query("BEGIN") }
        #expect(try await pool.query("SELECT 1").rows.count == 1)
        let status = try await pool.withConnection { $0.transactionStatus }
        #expect(status == .idle)
        await pool.shutDown()
    }

    @Test func failingToConnectReleasesTheSlotForTheNextTask() async throws {
        let pool = PostgresPool(configuration: try LivePostgres.configuration { $0.password = "wrong" }, maximumConnections: 1)
        for _ in 0..<3 {
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        }
        #expect(await pool.statistics.open == 0)
        await pool.shutDown()
    }
}
