import DatabaseTestTraits
import TestSupport
import Testing
@testable import Storage

/// SQLite-style parameters become PostgreSQL's `$n`, numbered as SQLite numbers them.
@Suite(.databaseTests) struct PostgresStatementTextTests {
    @Test func positionalNumberedAndNamedParametersAreNumberedAsSQLiteDoes() throws {
        let positional = PostgresStatementText(sqlite: "SELECT * FROM t WHERE a = ? AND b = ?")
        #expect(positional.sql == "SELECT * FROM t WHERE a = $1 AND b = $2" && positional.parameterCount == 2)

        let numbered = PostgresStatementText(sqlite: "UPDATE t SET x = ?1, y = ?1 WHERE id = ?2 AND z = ?")
        #expect(numbered.sql == "UPDATE t SET x = $1, y = $1 WHERE id = $2 AND z = $3" && numbered.parameterCount == 3)

        // A name takes the next number on first use and keeps it; positional ones around it count on.
        let mixed = PostgresStatementText(sqlite: "SELECT ? , :clan, @start, :clan, $end, ?")
        #expect(mixed.sql == "SELECT $1 , $2, $3, $2, $4, $5")
        #expect(mixed.names == [2: "clan", 3: "start", 4: "end"])
        #expect(try mixed.values(for: .positional([1, 2, 3, 4, 5])) == [.integer(1), .integer(2), .integer(3), .integer(4), .integer(5)])
    }

    @Test func quotesCommentsCastsAndDollarBodiesAreLeftAlone() {
        let text = PostgresStatementText(sqlite: """
            SELECT 'it''s ? :no', "col?", x::text, '$1' -- a ? comment :no
            FROM t /* ? :no */ WHERE y = ? AND z = $$ ? $$
            """)
        #expect(text.parameterCount == 1)
        #expect(text.sql.contains("'it''s ? :no'") && text.sql.contains("\"col?\"") && text.sql.contains("x::text"))
        #expect(text.sql.contains("-- a ? comment :no") && text.sql.contains("/* ? :no */") && text.sql.contains("y = $1"))
    }

    @Test func namedArgumentsBindByNameWithOrWithoutTheirPrefix() throws {
        let text = PostgresStatementText(sqlite: "SELECT :a, :b, :a")
        #expect(try text.values(for: .named(["a": 1, ":b": "x"])) == [.integer(1), .text("x")])
        #expect(throws: DatabaseError.self) { try text.values(for: .named(["a": 1])) }
        #expect(throws: DatabaseError.self) { try text.values(for: .named(["a": 1, "b": 2, "c": 3])) }
        #expect(throws: DatabaseError.self) { try text.values(for: .positional([1])) }
    }

    @Test func aScriptSplitsAtTheSemicolonsOutsideQuotesAndBodies() {
        let statements = PostgresStatementText.statements(of: """
            -- a comment; not a statement
            CREATE TABLE a (x TEXT DEFAULT ';' /* a block comment; also not one */, "odd;name" TEXT);
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;

            INSERT INTO a VALUES ('a;b')
            """)
        #expect(statements.count == 3)
        #expect(statements[0].contains("also not one */, \"odd;name\" TEXT)"))
        #expect(statements[1].contains("SELECT 1; $$"))
    }

    /// Shows in the results, skipped with its reason, when the PostgreSQL runs did not happen.
    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func theStorageTestsRunOnPostgreSQLToo() throws {
        let directory = try TemporaryDirectory(.postgres)
        let database = try Database(path: try directory.location())
        #expect(database.dialect == .postgres)
        #expect(try database.scalar("SELECT 1 + 1", as: Int.self) == 2)
    }
}
