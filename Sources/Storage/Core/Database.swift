import CSQLite
import Foundation
import PostgresClient

/// Which SQL engine a `Database` talks to.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// The engine a database location names: PostgreSQL for a `postgres://` or `postgresql://` URL, else a SQLite file.
    public init(location: String) {
        self = PostgresConfiguration.isPostgresURL(location) ? .postgres : .sqlite
    }

    /// `location` fit for a log or an error message: a PostgreSQL URL with its password hidden.
    public static func displayName(of location: String) -> String {
        guard PostgresConfiguration.isPostgresURL(location) else { return location }
        return (try? PostgresConfiguration(url: location).redactedURL) ?? "a PostgreSQL URL that cannot be read"
    }
}

/// One database connection: a SQLite file, or a PostgreSQL database when the path is a `postgres://` URL.
/// Owns its connection and closes it in `close()` or `deinit`.
///
/// SQLite is opened in WAL mode with foreign keys enforced, a busy timeout and `synchronous=NORMAL`.
/// PostgreSQL is reached through `PostgresBackend`; statements are written once, for both (SQLite-style
/// parameters, SQL both accept), and the few dialect differences ask `dialect`.
/// Not thread-safe by design: a `Store` actor owns each one and hands it to one closure at a time.
public final class Database {
    public struct Options: Sendable {
        /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
        public var busyTimeoutMilliseconds: Int32
        /// How many distinct SQL texts keep a prepared statement around.
        public var statementCacheSize: Int

        public init(busyTimeoutMilliseconds: Int32 = 5_000, statementCacheSize: Int = 128) {
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.statementCacheSize = statementCacheSize
        }
    }

    /// The file's path, or for PostgreSQL the URL with its password hidden.
    public let path: String
    public let dialect: SQLDialect
    private var connection: OpaquePointer?
    private var postgres: PostgresBackend?
    private var cache: [String: Statement] = [:]
    private let options: Options
    private var savepointDepth = 0
    /// Ids of metric names (skills, activities) seen on this connection. Names are never deleted,
    /// so entries stay valid; it is emptied on rollback, which may undo an insert it remembers.
    var metricIDs: [String: Int64] = [:]

    /// Opens (creating when missing) the database file at `path` and applies the connection settings.
    public init(path: String, options: Options = Options()) throws(DatabaseError) {
        self.options = options
        if PostgresConfiguration.isPostgresURL(path) {
            let backend = try PostgresBackend(url: path, options: options)
            self.path = backend.configuration.redactedURL
            dialect = .postgres
            postgres = backend
            return
        }
        self.path = path
        dialect = .sqlite
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = DatabaseError(connection: handle, code: code, sql: nil)
            sqlite3_close_v2(handle)  // SQLite allocates a handle even when opening fails.
            throw DatabaseError(
                resultCode: error.resultCode, extendedCode: error.extendedCode,
                message: "cannot open the database at '\(path)': \(error.message). Check that the directory exists and is writable.")
        }
        connection = handle
        do {
            try check(sqlite3_extended_result_codes(handle, 1), "enabling extended result codes")
            try check(sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds), "setting the busy timeout")
            try configure()
        } catch {
            sqlite3_close_v2(handle)
            connection = nil
            throw error
        }
    }

    deinit {
        cache.removeAll()  // finalize statements first, so the close below frees the connection at once
        if let connection { sqlite3_close_v2(connection) }
    }

    /// Finalizes cached statements and closes the connection. Calling it twice is harmless.
    public func close() throws(DatabaseError) {
        if let postgres {
            postgres.close()
            return
        }
        guard let connection else { return }
        cache.removeAll()
        let code = sqlite3_close_v2(connection)
        self.connection = nil
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: code, message: "closing the database at '\(path)' failed")
        }
    }

    public var isOpen: Bool { postgres?.isOpen ?? (connection != nil) }

    /// The PostgreSQL database this connects to; nil for SQLite.
    var postgresConfiguration: PostgresConfiguration? { postgres?.configuration }

    private func configure() throws(DatabaseError) {
        let isMemory = path == ":memory:" || path.isEmpty
        let mode = try scalar("PRAGMA journal_mode = WAL", as: String.self) ?? ""
        if !isMemory, mode.lowercased() != "wal" {
            throw DatabaseError(
                resultCode: SQLITE_ERROR,
                message: "the database at '\(path)' could not switch to WAL mode (it stays in '\(mode)' mode); is it on a network file system?",
                sql: "PRAGMA journal_mode = WAL")
        }
        try executeScript("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        guard try scalar("PRAGMA foreign_keys", as: Int.self) == 1 else {
            throw DatabaseError(resultCode: SQLITE_ERROR, message: "this SQLite build cannot enforce foreign keys", sql: "PRAGMA foreign_keys = ON")
        }
    }

    func handle() throws(DatabaseError) -> OpaquePointer {
        if postgres != nil {
            throw DatabaseError.misuse("this needs a SQLite database, and \(path) is PostgreSQL")
        }
        guard let connection else {
            throw DatabaseError.misuse("the database at '\(path)' is closed")
        }
        return connection
    }

    private func check(_ code: Int32, _ what: String) throws(DatabaseError) {
        guard code == SQLITE_OK else {
            let error = DatabaseError(connection: connection, code: code, sql: nil)
            throw DatabaseError(resultCode: error.resultCode, extendedCode: error.extendedCode, message: "\(what): \(error.message)")
        }
    }

    // MARK: statements

    /// Runs `body` with a cached prepared statement for `sql` (or a fresh one if that is busy).
    public func withStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let connection = try handle()
        if let cached = cache[sql], !cached.isInUse {
            cached.isInUse = true
            // Reset even when `body` threw mid-iteration, so the next user finds it ready and no read lock lingers.
            defer { cached.reset(); cached.isInUse = false }
            return try body(cached)
        }
        if cache[sql] != nil {
            // The cached one is being stepped by an outer caller (nested query on the same SQL).
            return try body(Statement(connection: connection, sql: sql, persistent: false))
        }
        let statement = try Statement(connection: connection, sql: sql, persistent: true)
        if cache.count >= options.statementCacheSize {
            cache = cache.filter { $0.value.isInUse }
        }
        cache[sql] = statement
        statement.isInUse = true
        defer { statement.reset(); statement.isInUse = false }
        return try body(statement)
    }

    /// Runs one statement with its arguments. Returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Int {
        if let postgres { return try postgres.run(sql, .positional(arguments)).changes }
        return try withStatement(sql) { try $0.execute(.positional(arguments)) }
    }

    /// Runs one statement with named arguments (`:name` in the SQL, `["name": value]` here).
    @discardableResult
    public func execute(_ sql: String, named arguments: [String: any SQLBindable]) throws -> Int {
        if let postgres { return try postgres.run(sql, .named(arguments)).changes }
        return try withStatement(sql) { try $0.execute(.named(arguments)) }
    }

    /// Inserts `rows` (each one value per column) into `table`: one cached statement run per row on SQLite,
    /// statements of many rows each on PostgreSQL (a round trip per row would dominate there).
    public func insertRows(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        guard let postgres else {
            let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            try withStatement(head + placeholders) { statement in
                for row in rows {
                    for (offset, value) in row.enumerated() { try statement.bind(value, at: Int32(offset + 1)) }
                    defer { statement.reset() }
                    while try statement.step() {}
                }
            }
            return
        }
        let perStatement = max(1, 1_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var sql = head
            var values: [SQLValue] = []
            values.reserveCapacity(chunk.count * columns.count)
            for (rowOffset, row) in chunk.enumerated() {
                sql += rowOffset == 0 ? "(" : ", ("
                sql += (1...columns.count).map { "$\(rowOffset * columns.count + $0)" }.joined(separator: ", ") + ")"
                values += row
            }
            _ = try postgres.runTranslated(sql, values, original: sql)
            start += chunk.count
        }
    }

    /// Runs several statements separated by semicolons, without arguments (migrations, pragmas).
    public func executeScript(_ sql: String) throws(DatabaseError) {
        if let postgres { return try postgres.executeScript(sql) }
        let connection = try handle()
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw DatabaseError(resultCode: code, extendedCode: sqlite3_extended_errcode(connection), message: text, sql: sql)
        }
    }

    /// Maps every row of the result.
    public func query<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try collect(sql, .positional(arguments), limit: nil, map)
    }

    /// Maps every row of the result, with named arguments.
    public func query<T>(_ sql: String, named arguments: [String: any SQLBindable], _ map: (Row) throws -> T) throws -> [T] {
        try collect(sql, .named(arguments), limit: nil, map)
    }

    /// Maps the first row of the result, or returns nil when there is none.
    public func queryFirst<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try collect(sql, .positional(arguments), limit: 1, map).first
    }

    public func queryFirst<T>(_ sql: String, named arguments: [String: any SQLBindable], _ map: (Row) throws -> T) throws -> T? {
        try collect(sql, .named(arguments), limit: 1, map).first
    }

    /// Streams every row to `body` without collecting them.
    public func forEach(_ sql: String, _ arguments: [any SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        if let postgres {
            let result = try postgres.run(sql, .positional(arguments))
            for index in result.rows.indices { try body(Row(result: result, index: index)) }
            return
        }
        try withStatement(sql) { statement in
            try statement.forEachRow(.positional(arguments)) { row in
                try body(row)
                return true
            }
        }
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    public func scalar<T: SQLColumnConvertible>(_ sql: String, _ arguments: [any SQLBindable] = [], as type: T.Type = T.self) throws(DatabaseError) -> T? {
        try scalar(sql, .positional(arguments), as: type)
    }

    public func scalar<T: SQLColumnConvertible>(_ sql: String, named arguments: [String: any SQLBindable], as type: T.Type = T.self) throws(DatabaseError) -> T? {
        try scalar(sql, .named(arguments), as: type)
    }

    private func scalar<T: SQLColumnConvertible>(_ sql: String, _ arguments: StatementArguments, as type: T.Type) throws(DatabaseError) -> T? {
        do {
            return try collect(sql, arguments, limit: 1) { row -> T? in
                row.isNull(0) ? nil : try row.get(0, as: T.self)
            }.first ?? nil
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError.misuse("\(error)", sql: sql)  // unreachable: the closure throws only DatabaseError
        }
    }

    private func collect<T>(_ sql: String, _ arguments: StatementArguments, limit: Int?, _ map: (Row) throws -> T) throws -> [T] {
        if let postgres {
            let result = try postgres.run(sql, arguments)
            let count = limit.map { min($0, result.rows.count) } ?? result.rows.count
            return try (0..<count).map { try map(Row(result: result, index: $0)) }
        }
        return try withStatement(sql) { statement in
            var results: [T] = []
            try statement.forEachRow(arguments) { row in
                results.append(try map(row))
                return limit.map { results.count < $0 } ?? true
            }
            return results
        }
    }

    /// The id of the last row inserted on this connection (SQLite's rowid; PostgreSQL's `lastval()`, the last
    /// value an identity column took in this session). Read it right after the INSERT.
    public var lastInsertRowID: Int64 {
        get throws(DatabaseError) {
            if let postgres {
                return try postgres.execute("SELECT lastval()").rows.first?.first.flatMap { Int64(sqlValue: $0) } ?? 0
            }
            return connection.map { sqlite3_last_insert_rowid($0) } ?? 0
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int {
        if let postgres { return postgres.changes }
        return connection.map { Int(sqlite3_changes($0)) } ?? 0
    }

    // MARK: transactions

    public enum TransactionKind: String, Sendable {
        /// Takes the write lock at once: the right choice for writes, so two processes never deadlock upgrading.
        case immediate = "IMMEDIATE"
        /// Takes locks as needed: a consistent snapshot for several reads.
        case deferred = "DEFERRED"
    }

    public var isInTransaction: Bool {
        if let postgres { return postgres.isInTransaction }
        return connection.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    /// Inside another transaction it uses a savepoint, so an inner failure undoes only the inner work.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            let name = "clanbot_savepoint_\(savepointDepth)"
            defer { savepointDepth -= 1 }
            try executeScript("SAVEPOINT \(name)")
            do {
                let result = try body()
                try executeScript("RELEASE \(name)")
                return result
            } catch {
                metricIDs.removeAll()
                try? executeScript("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try begin(kind)
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            // The body's error is the one worth reporting; a failed rollback leaves nothing committed anyway.
            metricIDs.removeAll()
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    /// SQLite: BEGIN IMMEDIATE or DEFERRED. PostgreSQL: an immediate (write) transaction takes one advisory lock
    /// that every writer takes, so writers run one at a time across processes as SQLite's write lock makes them (the
    /// code's read-then-write steps rely on that); a deferred (read) one is REPEATABLE READ, one consistent snapshot.
    private func begin(_ kind: TransactionKind) throws(DatabaseError) {
        guard let postgres else { return try executeScript("BEGIN \(kind.rawValue)") }
        switch kind {
        case .immediate:
            try postgres.execute("BEGIN")
            do {
                try postgres.execute("SELECT pg_advisory_xact_lock(\(PostgresBackend.writeLockKey))")
            } catch {
                _ = try? postgres.execute("ROLLBACK")
                throw error
            }
        case .deferred:
            try postgres.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        }
    }

    /// COMMIT; PostgreSQL answers a COMMIT of a failed transaction with ROLLBACK, which must not pass for success.
    private func commit() throws(DatabaseError) {
        guard let postgres else { return try executeScript("COMMIT") }
        let result = try postgres.execute("COMMIT")
        if result.commandTag == "ROLLBACK" {
            throw DatabaseError(
                resultCode: SQLITE_ABORT, message: "the transaction failed earlier and was rolled back at COMMIT", sql: "COMMIT", sqlState: "25P02")
        }
    }
}
