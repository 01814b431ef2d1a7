import Foundation
import Testing
@testable import PostgresClient

/// Statements against the real server: parameter types, errors with SQLSTATE, transactions, a dropped
/// connection, LISTEN/NOTIFY.
@Suite(.enabled(if: LivePostgres.isAvailable, LivePostgres.skipNote))
struct LiveQueryTests {
    @Test func everyParameterTypeRoundTrips() async throws {
        let connection = try await LivePostgres.connect()
        let date = Date(timeIntervalSince1970: 1_796_537_292.123456)
        let bytes: [UInt8] = [0, 1, 2, 0xfe, 0xff, 0x27, 0x5c]
        let text = "Zezima's \"clan\" \\ ; DROP TABLE x; -- ☃ 𝄞"
        let result = try await connection.query(
            "SELECT $1::int8, $2::float8, $3::text, $4::bool, $5::bytea, $6::timestamptz, $7::text IS NULL, $8::int4 + 1, $9::float8",
            [.int64(.min), .double(-0.1), .text(text), .bool(true), .bytes(bytes), .timestamp(date), .null, 41, .double(.infinity)])
        let row = result.rows[0]
        #expect(try row.decode(Int64.self, at: 0) == .min)
        #expect(try row.decode(Double.self, at: 1) == -0.1)
        #expect(try row.decode(String.self, at: 2) == text)
        #expect(try row.decode(Bool.self, at: 3))
        #expect(try row.decode(Data.self, at: 4) == Data(bytes))
        #expect(abs(try row.decode(Date.self, at: 5).timeIntervalSince(date)) < 0.000_001)
        #expect(try row.decode(Bool.self, at: 6))
        #expect(try row.decode(Int.self, at: 7) == 42)
        #expect(try row.decode(Double.self, at: 8) == .infinity)
        let nulls = try await connection.query("SELECT NULL::int8, $1::text", [nil])
        #expect(try nulls.rows[0].decode(Int64?.self, at: 0) == nil)
        #expect(try nulls.rows[0].decode(String?.self, at: 1) == nil)
        await connection.close()
    }

    @Test func rowsAndCommandTagsOfATable() async throws {
        let connection = try await LivePostgres.connect()
        try await connection.query("CREATE TEMP TABLE members (id int8 PRIMARY KEY, rsn text NOT NULL, xp int8)")
        let insert = try await connection.query("INSERT INTO members VALUES ($1, $2, $3), ($4, $5, $6)", [1, "Zezima", 200_000_000, 2, "Lynx Titan", nil])
        #expect(insert.affectedRows == 2)
        let rows = try await connection.query("SELECT id, rsn, xp FROM members WHERE rsn LIKE $1 OR id = $2 ORDER BY id", ["Z%", 2])
        #expect(rows.rows.count == 2)
        #expect(rows.columns.map(\.name) == ["id", "rsn", "xp"])
        #expect(try rows.rows.map { try $0.decode(String.self, named: "rsn") } == ["Zezima", "Lynx Titan"])
        #expect(try rows.rows[1].decode(Int64?.self, named: "xp") == nil)
        #expect(try await connection.query("UPDATE members SET xp = 0").affectedRows == 2)
        await connection.close()
    }

    @Test func errorsCarrySQLStateMessageDetailAndStatementAndTheConnectionGoesOn() async throws {
        let connection = try await LivePostgres.connect()
        do {
            try await connection.query("SELEC 1")
            Issue.record("a syntax error was accepted")
        } catch PostgresError.server(let error) {
            #expect(error.sqlState == "42601")
            #expect(error.statement == "SELEC 1")
            #expect(error.position == 1)
        }
        try await connection.query("CREATE TEMP TABLE names (name text PRIMARY KEY)")
        try await connection.query("INSERT INTO names VALUES ($1)", ["Zezima"])
        do {
            try await connection.query("INSERT INTO names VALUES ($1)", ["Zezima"])
            Issue.record("a duplicate key was accepted")
        } catch PostgresError.server(let error) {
            #expect(error.sqlState == "23505")
            #expect(error.detail?.contains("Zezima") == true)
            #expect(error.constraint == "names_pkey")
            #expect(error.description.contains("INSERT INTO names"))
        }
        // Too few parameters for the statement: the server says so, the connection stays usable.
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT $1::int8 + $2::int8", [1]) }
        #expect(try await connection.query("SELECT 7").rows[0].decode(Int64.self, at: 0) == 7)
        #expect(connection.transactionStatus == .idle)
        await connection.close()
    }

    @Test func transactionsCommitAndRollBack() async throws {
        let connection = try await LivePostgres.connect()
        try await connection.query("CREATE TEMP TABLE ledger (n int8)")
        try await connection.transaction { try await $0.query("INSERT INTO ledger VALUES (1)") }
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO ledger VALUES (2)")
                throw Refused()
            }
        }
        // A statement that failed inside the transaction, its error swallowed: COMMIT cannot keep anything.
        await #expect(throws: PostgresError.self) {
            try await connection.transaction { connection in
                try await connection.query("INSERT INTO ledger VALUES (3)")
                _ = try? await connection.query("INSERT INTO ledger VALUES ('x')")
            }
        }
        let sum = try await connection.query("SELECT coalesce(sum(n), 0)::int8 FROM ledger")
        #expect(try sum.rows[0].decode(Int64.self, at: 0) == 1)
        #expect(connection.transactionStatus == .idle)
        await connection.close()
    }

    @Test func aConnectionKilledInATransactionFailsTypedAndStaysClosed() async throws {
        let victim = try await LivePostgres.connect()
        let admin = try await LivePostgres.connect()
        let pid = try #require(victim.backendProcessID)
        do {
            try await victim.transaction { connection in
                try await connection.query("SELECT 1")
                let killed = try await admin.query("SELECT pg_terminate_backend($1::int4)", [.int64(Int64(pid))])
                #expect(try killed.rows[0].decode(Bool.self, at: 0))
                try await connection.query("SELECT 2")
            }
            Issue.record("the transaction went on after its connection was terminated")
        } catch let error as PostgresError {
            switch error {
            case .server(let server): #expect(server.sqlState == "57P01", "\(error)")
            case .connectionClosed: break
            default: Issue.record("unexpected error \(error)")
            }
        }
        #expect(victim.isClosed)
        await #expect(throws: PostgresError.self) { try await victim.query("SELECT 3") }
        await admin.close()
    }

    @Test func notificationsReachAListenerOnAnotherConnection() async throws {
        let listener = try await LivePostgres.connect()
        let sender = try await LivePostgres.connect()
        let channel = LivePostgres.tableName("Events \"quoted\"")
        try await listener.listen(channel)
        try await sender.notify(channel, payload: "first")
        try await sender.transaction { try await $0.notify(channel, payload: "second, after commit") }
        try await sender.query("NOTIFY other_channel, 'not for us'")
        var received: [PostgresNotification] = []
        for await notification in listener.notifications {
            received.append(notification)
            if received.count == 2 { break }
        }
        #expect(received.map(\.payload) == ["first", "second, after commit"])
        #expect(received.allSatisfy { $0.channel == channel && $0.processID == sender.backendProcessID })
        await sender.close()
        await listener.close()
        // The stream ends with the connection.
        for await _ in listener.notifications { Issue.record("a notification after close") }
    }
}
