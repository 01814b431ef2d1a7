import CSQLite
import Foundation
import PostgresClient

/// The PostgreSQL side of a `Database`: one connection, used synchronously.
///
/// A `Database` is only ever used by its `Store`'s dedicated thread (`DatabaseThread`), so each statement
/// blocks that thread until the connection's own I/O thread hands the result back
/// (`PostgresConnection.querySynchronously`). That keeps the repositories' synchronous API for both backends and
/// blocks no thread of the shared cooperative pool: the thread blocked is the store's own, as it is for SQLite.
///
/// Statements arrive written for SQLite; `PostgresStatementText` renumbers their parameters once per SQL text.
/// Results come back as the same `SQLValue`s SQLite gives: integers (int2/4/8, and numeric without a fraction,
/// such as a SUM), reals, text, blobs (bytea) and booleans as 0/1.
final class PostgresBackend {
    let configuration: PostgresConfiguration
    private var connection: PostgresConnection?
    private var texts: [String: PostgresStatementText] = [:]
    private let cacheSize: Int
    /// Rows changed by the last statement.
    private(set) var changes = 0

    /// A constant key for the advisory lock every write transaction takes (see `Database.transaction`): 'clanbot'.
    static let writeLockKey: Int64 = 0x63_6C_61_6E_62_6F_74

    init(url: String, options: Database.Options) throws(DatabaseError) {
        do {
            configuration = try PostgresConfiguration(url: url)
        } catch {
            throw DatabaseError(resultCode: SQLITE_CANTOPEN, message: "the PostgreSQL URL is not valid: \(error)")
        }
        cacheSize = max(16, options.statementCacheSize)
        do {
            connection = try PostgresConnection.connectSynchronously(configuration)
        } catch {
            throw DatabaseError(
                resultCode: SQLITE_CANTOPEN,
                message: "cannot open the PostgreSQL database at \(configuration.redactedURL): \(error)")
        }
        // A write waits this long for another process's write lock, as SQLite's busy timeout does.
        try execute("SET lock_timeout = \(max(1, options.busyTimeoutMilliseconds))")
    }

    var isOpen: Bool { connection != nil }

    var isInTransaction: Bool { (connection?.transactionStatus ?? .idle) != .idle }

    func close() {
        connection?.closeSynchronously()
        connection = nil
    }

    deinit {
        connection?.abort()
    }

    // MARK: statements

    /// Runs one statement written for SQLite with its SQLite-style arguments.
    func run(_ sql: String, _ arguments: StatementArguments) throws(DatabaseError) -> PostgresResult {
        let text = statementText(sql)
        return try runTranslated(text.sql, try text.values(for: arguments), original: sql)
    }

    /// Runs SQL that needs no parameters (DDL, transaction control).
    @discardableResult
    func execute(_ sql: String) throws(DatabaseError) -> PostgresResult {
        try runTranslated(sql, [], original: sql)
    }

    /// Runs a script statement by statement.
    func executeScript(_ script: String) throws(DatabaseError) {
        for statement in PostgresStatementText.statements(of: script) {
            try execute(statement)
        }
    }

    /// Runs SQL already written with `$n` parameters.
    func runTranslated(_ sql: String, _ values: [SQLValue], original: String) throws(DatabaseError) -> PostgresResult {
        guard let connection else { throw DatabaseError.misuse("the PostgreSQL database \(configuration.redactedURL) is closed", sql: original) }
        do {
            let result = try connection.querySynchronously(sql, values.map(Self.data))
            changes = result.affectedRows
            return PostgresResult(result, sql: original)
        } catch {
            throw Self.databaseError(error, sql: original)
        }
    }

    private func statementText(_ sql: String) -> PostgresStatementText {
        if let known = texts[sql] { return known }
        let text = PostgresStatementText(sqlite: sql)
        if texts.count >= cacheSize { texts.removeAll(keepingCapacity: true) }
        texts[sql] = text
        return text
    }

    // MARK: values and errors

    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: .null
        case .integer(let integer): .int64(integer)
        case .real(let real): .double(real)
        case .text(let text): .text(text)
        case .blob(let bytes): .bytes(bytes)
        }
    }

    /// A PostgreSQL failure in the terms the repositories test for (unique, foreign key, check, busy, …).
    static func databaseError(_ error: PostgresError, sql: String) -> DatabaseError {
        guard case .server(let server) = error else {
            return DatabaseError(resultCode: SQLITE_IOERR, message: error.description, sql: sql, sqlState: nil)
        }
        let code: Int32
        var extended: Int32?
        switch server.sqlState {
        case "23505": (code, extended) = (SQLITE_CONSTRAINT, DatabaseError.constraintUnique)
        case "23503": (code, extended) = (SQLITE_CONSTRAINT, DatabaseError.constraintForeignKey)
        case "23514": (code, extended) = (SQLITE_CONSTRAINT, DatabaseError.constraintCheck)
        case "23502": (code, extended) = (SQLITE_CONSTRAINT, DatabaseError.constraintNotNull)
        case let state where state.hasPrefix("23"): code = SQLITE_CONSTRAINT
        case "40001", "40P01", "55P03": code = SQLITE_BUSY
        default: code = SQLITE_ERROR
        }
        var message = server.message
        if let detail = server.detail { message += " (\(detail))" }
        return DatabaseError(resultCode: code, extendedCode: extended, message: message, sql: sql, sqlState: server.sqlState)
    }
}

/// The rows of one PostgreSQL statement, converted to `SQLValue`s.
final class PostgresResult {
    let sql: String
    /// The server's command tag ("INSERT 0 1", "COMMIT", "ROLLBACK").
    let commandTag: String
    /// Rows inserted, updated or deleted.
    let changes: Int
    let columnNames: [String]
    let rows: [[SQLValue]]
    private var indexes: [String: Int]?

    init(_ result: PostgresQueryResult, sql: String) {
        self.sql = sql
        commandTag = result.commandTag
        changes = result.affectedRows
        columnNames = result.columns.map(\.name)
        let types = result.columns.map(\.typeOID)
        rows = result.rows.map { row in
            types.indices.map { Self.value(row.rawValue(at: $0), type: types[$0]) }
        }
    }

    func columnIndex(named name: String) -> Int? {
        if indexes == nil {
            var found: [String: Int] = [:]
            for (index, column) in columnNames.enumerated() where found[column] == nil { found[column] = index }
            indexes = found
        }
        return indexes?[name]
    }

    /// One text-format value as the `SQLValue` SQLite would have given for it.
    static func value(_ bytes: [UInt8]?, type: UInt32) -> SQLValue {
        guard let bytes else { return .null }
        switch type {
        case PostgresType.int8, PostgresType.int4, PostgresType.int2, PostgresType.oid:
            return integer(bytes).map(SQLValue.integer) ?? .text(String(decoding: bytes, as: UTF8.self))
        case PostgresType.float8, PostgresType.float4:
            return .real(real(String(decoding: bytes, as: UTF8.self)))
        case PostgresType.numeric:
            // SUM and AVG of integers are numeric: whole ones read as integers, as SQLite's would.
            if let whole = integer(bytes) { return .integer(whole) }
            return .real(real(String(decoding: bytes, as: UTF8.self)))
        case PostgresType.bool:
            return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case PostgresType.bytea:
            return .blob(hex(bytes))
        default:
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func integer(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        var negative = false
        for (offset, byte) in bytes.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") { negative = true; continue }
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    private static func real(_ text: String) -> Double {
        switch text {
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text) ?? .nan
        }
    }

    /// bytea in its text form, `\x` then two hex digits a byte.
    private static func hex(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") else { return bytes }
        func nibble(_ byte: UInt8) -> UInt8 {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            case 65...70: byte - 55
            default: 0
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index + 1 < bytes.count {
            result.append(nibble(bytes[index]) << 4 | nibble(bytes[index + 1]))
            index += 2
        }
        return result
    }
}
