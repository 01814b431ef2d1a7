import CSQLite
import Foundation

/// One SQLite connection. Owns its `sqlite3*` and closes it in `close()` or `deinit`.
///
/// Opened in WAL mode with foreign keys enforced, a busy timeout and `synchronous=NORMAL`.
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

    public let path: String
    private var connection: OpaquePointer?
    private var cache: [String: Statement] = [:]
    private let options: Options
    private var savepointDepth = 0
    /// Ids of metric names (skills, activities) seen on this connection. Names are never deleted,
    /// so entries stay valid; it is emptied on rollback, which may undo an insert it remembers.
    var metricIDs: [String: Int64] = [:]

    /// Opens (creating when missing) the database file at `path` and applies the connection settings.
    public init(path: String, options: Options = Options()) throws(DatabaseError) {
        self.path = path
        self.options = options
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
        guard let connection else { return }
        cache.removeAll()
        let code = sqlite3_close_v2(connection)
        self.connection = nil
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: code, message: "closing the database at '\(path)' failed")
        }
    }

    public var isOpen: Bool { connection != nil }

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

    /// Prepares a statement the caller owns (not cached).
    public func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        try Statement(connection: handle(), sql: sql, persistent: false)
    }

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
        try withStatement(sql) { try $0.execute(.positional(arguments)) }
    }

    /// Runs one statement with named arguments (`:name` in the SQL, `["name": value]` here).
    @discardableResult
    public func execute(_ sql: String, named arguments: [String: any SQLBindable]) throws -> Int {
        try withStatement(sql) { try $0.execute(.named(arguments)) }
    }

    /// Runs several statements separated by semicolons, without arguments (migrations, pragmas).
    public func executeScript(_ sql: String) throws(DatabaseError) {
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
        try withStatement(sql) { statement in
            var results: [T] = []
            try statement.forEachRow(arguments) { row in
                results.append(try map(row))
                return limit.map { results.count < $0 } ?? true
            }
            return results
        }
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 {
        connection.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int {
        connection.map { Int(sqlite3_changes($0)) } ?? 0
    }

    // MARK: transactions

    public enum TransactionKind: String, Sendable {
        /// Takes the write lock at once: the right choice for writes, so two processes never deadlock upgrading.
        case immediate = "IMMEDIATE"
        /// Takes locks as needed: a consistent snapshot for several reads.
        case deferred = "DEFERRED"
    }

    public var isInTransaction: Bool {
        connection.map { sqlite3_get_autocommit($0) == 0 } ?? false
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
        try executeScript("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            // The body's error is the one worth reporting; a failed rollback leaves nothing committed anyway.
            metricIDs.removeAll()
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }
}
