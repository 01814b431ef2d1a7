import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite struct DatabaseTests {
    @Test func opensInWALWithForeignKeysAndCreatesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path()
        #expect(!FileManager.default.fileExists(atPath: path))
        let database = try Database(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try database.scalar("PRAGMA journal_mode", as: String.self) == "wal")
        #expect(try database.scalar("PRAGMA foreign_keys", as: Int.self) == 1)
        #expect(try database.scalar("PRAGMA synchronous", as: Int.self) == 1)  // NORMAL
        #expect(try database.scalar("PRAGMA busy_timeout", as: Int.self) == 5_000)
    }

    @Test func openingInAMissingDirectorySaysWhere() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("no/such/dir/db.sqlite").path
        do {
            _ = try Database(path: path)
            Issue.record("opening should fail")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("directory exists"))
        }
    }

    @Test func everyTypeRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, d INTEGER, f INTEGER, n TEXT, e BLOB, u TEXT)")
        let date = Date(timeIntervalSince1970: 1_732_400_000.123)
        let bytes: [UInt8] = [0, 1, 2, 255, 0]
        try database.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [Int64.max, 3.25, "Zezima 🗡 \u{0}end", Data(bytes), date, true, String?.none, [UInt8](), ""])
        let row = try #require(try database.queryFirst("SELECT * FROM t") { row in
            (try row.int64(0), try row.double(1), try row.string(2), try row.blob(3), try row.date(4),
             try row.bool(5), try row.get(6, as: String?.self), try row.blob(7), try row.string("u"), try row.data(3))
        })
        #expect(row.0 == Int64.max)
        #expect(row.1 == 3.25)
        #expect(row.2 == "Zezima 🗡 \u{0}end")
        #expect(row.3 == bytes)
        #expect(row.4.epochMilliseconds == 1_732_400_000_123)
        #expect(row.5 == true)
        #expect(row.6 == nil)
        #expect(row.7 == [])
        #expect(row.8 == "")
        #expect(row.9 == Data(bytes))
        // Time is stored as INTEGER milliseconds, nothing else.
        #expect(try database.scalar("SELECT typeof(d) || ':' || d FROM t", as: String.self) == "integer:1732400000123")
        #expect(try database.scalar("SELECT typeof(e) FROM t", as: String.self) == "blob")
        #expect(try database.scalar("SELECT typeof(n) FROM t", as: String.self) == "null")
        #expect(try database.scalar("SELECT typeof(u) FROM t", as: String.self) == "text")
    }

    @Test func smallerIntegersAndEnumsRoundTrip() throws {
        enum Colour: String, SQLColumnConvertible { case red, blue }
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        let values = try database.query("SELECT ?, ?, ?, ?", [Int32(-7), Int(42), Colour.blue, Int?.some(3)]) { row in
            (try row.get(0, as: Int32.self), try row.int(1), try row.get(2, as: Colour.self), try row.get(3, as: Int?.self))
        }
        #expect(values.count == 1)
        #expect(values[0].0 == -7 && values[0].1 == 42 && values[0].2 == .blue && values[0].3 == 3)
        #expect(throws: DatabaseError.self) { _ = try database.query("SELECT 'green'") { try $0.get(0, as: Colour.self) } }
    }

    @Test func datesAreMillisecondsEvenBeforeTheEpoch() {
        #expect(Date(epochMilliseconds: -1).epochMilliseconds == -1)
        #expect(Date(epochMilliseconds: 1_700_000_000_999).epochMilliseconds == 1_700_000_000_999)
        #expect(Date(timeIntervalSince1970: 0.0004).epochMilliseconds == 0)
    }

    @Test func columnsCanBeReadByName() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        let values = try database.query("SELECT 7 AS seven, 'x' AS name, NULL AS absent") { row in
            (try row.int("seven"), try row.string("name"), try row.get("absent", as: Int?.self))
        }
        #expect(values.count == 1)
        #expect(values[0].0 == 7 && values[0].1 == "x" && values[0].2 == nil)
    }

    @Test func readingTheWrongTypeNamesTheColumn() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        #expect {
            _ = try database.query("SELECT NULL AS missing") { try $0.int64(0) }
        } throws: { error in
            let error = try #require(error as? DatabaseError)
            return error.description.contains("'missing'") && error.description.contains("NULL") && error.sql == "SELECT NULL AS missing"
        }
        #expect(throws: DatabaseError.self) { _ = try database.query("SELECT 'soon'") { try $0.date(0) } }
        #expect(throws: DatabaseError.self) { _ = try database.query("SELECT 2") { try $0.bool(0) } }
        #expect(throws: DatabaseError.self) { _ = try database.query("SELECT 1") { try $0.int("nope") } }
    }

    @Test func errorsCarryCodesMessageAndStatement() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        #expect {
            try database.execute("SELECT * FROM no_such_table")
        } throws: { error in
            let error = try #require(error as? DatabaseError)
            return error.resultCode == 1 && error.message.contains("no such table")
                && error.sql == "SELECT * FROM no_such_table" && error.description.contains("in statement: SELECT * FROM no_such_table")
        }
        try database.execute("CREATE TABLE u (x TEXT UNIQUE)")
        try database.execute("INSERT INTO u VALUES (?)", ["a"])
        #expect {
            try database.execute("INSERT INTO u VALUES (?)", ["a"])
        } throws: { error in
            let error = try #require(error as? DatabaseError)
            return error.isConstraintViolation && error.isUniqueViolation && error.extendedCode == DatabaseError.constraintUnique
        }
    }

    @Test func wrongArgumentCountsAndSeveralStatementsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        #expect(throws: DatabaseError.self) { try database.execute("SELECT ?", []) }
        #expect(throws: DatabaseError.self) { try database.execute("SELECT 1", [1]) }
        #expect(throws: DatabaseError.self) { try database.execute("SELECT 1; SELECT 2") }
        try database.executeScript("CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);")
        #expect(try database.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", as: Int.self) == 2)
    }

    @Test func transactionsCommitOrRollBack() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (x INTEGER)")
        try database.transaction { try database.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try database.query("SELECT x FROM t") { try $0.int(0) } == [1])
        #expect(!database.isInTransaction)
    }

    @Test func nestedTransactionsUseSavepoints() throws {
        struct Boom: Error {}
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (x INTEGER)")
        try database.transaction {
            try database.execute("INSERT INTO t VALUES (1)")
            try? database.transaction {
                try database.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try database.transaction { try database.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try database.query("SELECT x FROM t ORDER BY x") { try $0.int(0) } == [1, 3])
    }

    @Test func nestedQueriesOnTheSameSQLDoNotClobberEachOther() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (x INTEGER)")
        for x in 1...3 { try database.execute("INSERT INTO t VALUES (?)", [x]) }
        let sql = "SELECT x FROM t WHERE x >= ? ORDER BY x"
        let pairs = try database.query(sql, [1]) { row in
            let x = try row.int(0)
            return (x, try database.query(sql, [x]) { try $0.int(0) }.count)
        }
        #expect(pairs.map(\.0) == [1, 2, 3])
        #expect(pairs.map(\.1) == [3, 2, 1])
    }

    @Test func aCommittedWriteSurvivesReopening() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try Database(path: directory.path())
            try database.execute("CREATE TABLE t (x TEXT)")
            try database.transaction { try database.execute("INSERT INTO t VALUES (?)", ["kept"]) }
            try database.close()
            try database.close()  // twice is harmless
            #expect(throws: DatabaseError.self) { try database.execute("SELECT 1") }
        }
        let reopened = try Database(path: directory.path())
        #expect(try reopened.scalar("SELECT x FROM t", as: String.self) == "kept")
    }

    @Test func lastInsertRowIDAndChanges() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)")
        try database.execute("INSERT INTO t (x) VALUES (5)")
        #expect(try database.lastInsertRowID == 1)
        try database.execute("INSERT INTO t (x) VALUES (6)")
        #expect(try database.execute("UPDATE t SET x = x + 1") == 2)
        #expect(database.changes == 2)
    }

    @Test func namedArgumentsBindByName() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (a INTEGER, b TEXT, c INTEGER)")
        try database.execute("INSERT INTO t VALUES (:a, @b, $c)", named: ["a": 1, "@b": "x", "c": Date(epochMilliseconds: 5)])
        try database.execute("INSERT INTO t VALUES (:a, :b, :a)", named: ["a": 2, "b": String?.none])
        #expect(try database.query("SELECT a, b, c FROM t WHERE a >= :min ORDER BY a", named: ["min": 1]) { row in
            "\(try row.int(0)) \(try row.get(1, as: String?.self) ?? "nil") \(try row.int(2))"
        } == ["1 x 5", "2 nil 2"])
        #expect(try database.scalar("SELECT count(*) FROM t WHERE a = :a", named: ["a": 2], as: Int.self) == 1)
        #expect(try database.queryFirst("SELECT b FROM t WHERE a = :a", named: [":a": 1]) { try $0.string(0) } == "x")
        #expect(throws: DatabaseError.self) { try database.execute("SELECT :a", named: [:]) }
        #expect(throws: DatabaseError.self) { try database.execute("SELECT :a", named: ["a": 1, "b": 2]) }
        #expect(throws: DatabaseError.self) { try database.execute("SELECT ?", named: ["a": 1]) }
    }

    @Test func aStatementAbandonedMidIterationIsReadyAgain() throws {
        struct Stop: Error {}
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.path())
        try database.execute("CREATE TABLE t (x INTEGER)")
        for x in 1...3 { try database.execute("INSERT INTO t VALUES (?)", [x]) }
        let sql = "SELECT x FROM t ORDER BY x"
        #expect(throws: Stop.self) {
            try database.withStatement(sql) { statement in
                _ = try statement.step()
                throw Stop()
            }
        }
        #expect(try database.query(sql) { try $0.int(0) } == [1, 2, 3])
        // No read transaction was left open by the abandoned statement.
        #expect(!database.isInTransaction)
        try Database(path: directory.path()).execute("INSERT INTO t VALUES (4)")
    }
}
