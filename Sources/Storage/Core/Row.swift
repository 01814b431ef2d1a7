import CSQLite
import Foundation

/// The current row of a statement being stepped (SQLite) or of a result read (PostgreSQL), with one API for
/// both. Valid only inside the closure it is given to.
public struct Row {
    private enum Source {
        case sqlite(Statement)
        case postgres(PostgresResult, Int)
    }

    private let source: Source

    init(statement: Statement) { source = .sqlite(statement) }
    init(result: PostgresResult, index: Int) { source = .postgres(result, index) }

    public var columnCount: Int {
        switch source {
        case .sqlite(let statement): statement.columnCount
        case .postgres(let result, _): result.columnNames.count
        }
    }

    private var sql: String {
        switch source {
        case .sqlite(let statement): statement.sql
        case .postgres(let result, _): result.sql
        }
    }

    private func columnName(_ index: Int) -> String {
        switch source {
        case .sqlite(let statement): statement.columnName(index)
        case .postgres(let result, _): result.columnNames.indices.contains(index) ? result.columnNames[index] : "column \(index)"
        }
    }

    private func columnIndex(named name: String) -> Int? {
        switch source {
        case .sqlite(let statement): statement.columnIndex(named: name).map(Int.init)
        case .postgres(let result, _): result.columnIndex(named: name)
        }
    }

    /// The column's value in its storage class.
    public func value(at index: Int) -> SQLValue {
        guard case .sqlite(let statement) = source else {
            guard case .postgres(let result, let row) = source, result.rows[row].indices.contains(index) else { return .null }
            return result.rows[row][index]
        }
        let handle = statement.handle
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            return .text(text(statement, at: column))
        case SQLITE_BLOB:
            return .blob(bytes(statement, at: column))
        default:
            return .null
        }
    }

    public func isNull(_ index: Int) -> Bool {
        switch source {
        case .sqlite(let statement): sqlite3_column_type(statement.handle, Int32(index)) == SQLITE_NULL
        case .postgres: value(at: index) == .null
        }
    }

    /// Reads column `index` as `T`; an optional `T` reads NULL as nil, anything else throws on NULL.
    public func get<T: SQLColumnConvertible>(_ index: Int, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard index >= 0, index < columnCount else {
            throw DatabaseError.misuse("column index \(index) is out of range (the row has \(columnCount) columns)", sql: sql)
        }
        let value = value(at: index)
        guard let converted = T(sqlValue: value) else {
            throw DatabaseError.mismatch(
                column: columnName(index), index: Int32(index),
                expected: String(describing: T.self), found: describe(value), sql: sql)
        }
        return converted
    }

    /// Reads the column called `name` as `T`.
    public func get<T: SQLColumnConvertible>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
        guard let index = columnIndex(named: name) else {
            throw DatabaseError.misuse("the result has no column named '\(name)'", sql: sql)
        }
        return try get(index, as: type)
    }

    // Typed shorthands for the common cases.
    public func int64(_ index: Int) throws(DatabaseError) -> Int64 {
        // Fast path for the hot leaderboard loops: no SQLValue in between.
        if case .sqlite(let statement) = source, sqlite3_column_type(statement.handle, Int32(index)) == SQLITE_INTEGER, index < columnCount {
            return sqlite3_column_int64(statement.handle, Int32(index))
        }
        return try get(index)
    }
    public func int(_ index: Int) throws(DatabaseError) -> Int { try get(index) }
    public func double(_ index: Int) throws(DatabaseError) -> Double { try get(index) }
    public func string(_ index: Int) throws(DatabaseError) -> String { try get(index) }
    public func bool(_ index: Int) throws(DatabaseError) -> Bool { try get(index) }
    public func date(_ index: Int) throws(DatabaseError) -> Date { try get(index) }
    public func blob(_ index: Int) throws(DatabaseError) -> [UInt8] { try get(index) }
    public func data(_ index: Int) throws(DatabaseError) -> Data { try get(index) }

    public func int64(_ name: String) throws(DatabaseError) -> Int64 { try get(name) }
    public func int(_ name: String) throws(DatabaseError) -> Int { try get(name) }
    public func double(_ name: String) throws(DatabaseError) -> Double { try get(name) }
    public func string(_ name: String) throws(DatabaseError) -> String { try get(name) }
    public func bool(_ name: String) throws(DatabaseError) -> Bool { try get(name) }
    public func date(_ name: String) throws(DatabaseError) -> Date { try get(name) }
    public func blob(_ name: String) throws(DatabaseError) -> [UInt8] { try get(name) }

    private func text(_ statement: Statement, at column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement.handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private func bytes(_ statement: Statement, at column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(statement.handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private func describe(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let integer): "INTEGER \(integer)"
        case .real(let real): "REAL \(real)"
        case .text(let text): "TEXT '\(text.prefix(40))'"
        case .blob(let bytes): "a BLOB of \(bytes.count) bytes"
        }
    }
}
