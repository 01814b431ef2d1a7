import CSQLite

/// One prepared statement. Owns its `sqlite3_stmt*` and finalizes it in `deinit`.
/// Not thread-safe: used only by the `Database` (and so the `Store`) that prepared it.
public final class Statement {
    let handle: OpaquePointer
    let connection: OpaquePointer
    public let sql: String
    /// Set while a cached statement is being stepped, so a nested use of the same SQL prepares its own.
    var isInUse = false
    private var columnIndexes: [String: Int32]?

    init(connection: OpaquePointer, sql: String, persistent: Bool) throws(DatabaseError) {
        var statement: OpaquePointer?
        var remainder = ""
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, flags, &statement, &tail)
            if let tail { remainder = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK else {
            let error = DatabaseError(connection: connection, code: code, sql: sql)
            sqlite3_finalize(statement)
            throw error
        }
        guard let statement else {
            throw DatabaseError.misuse("the SQL text holds no statement", sql: sql)
        }
        guard remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            throw DatabaseError.misuse(
                "only one statement can be prepared at a time; use Database.executeScript for several", sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column \(index)"
    }

    /// The index of the result column called `name` (as written after AS, or the column's own name).
    public func columnIndex(named name: String) -> Int32? {
        if columnIndexes == nil {
            var indexes: [String: Int32] = [:]
            for index in 0..<Int32(columnCount) where indexes[columnName(Int(index))] == nil {
                indexes[columnName(Int(index))] = index
            }
            columnIndexes = indexes
        }
        return columnIndexes?[name]
    }

    // MARK: binding

    /// Binds positional arguments (`?`), after clearing earlier bindings. The count must match.
    public func bind(_ arguments: [any SQLBindable]) throws(DatabaseError) {
        sqlite3_clear_bindings(handle)
        guard arguments.count == parameterCount else {
            throw DatabaseError.misuse(
                "the statement has \(parameterCount) parameter(s) but \(arguments.count) argument(s) were given", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            try bind(argument.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Binds named arguments (`:name`, `@name` or `$name` in the SQL; keys with or without the prefix),
    /// after clearing earlier bindings. Every parameter needs a value and every value a parameter.
    public func bind(named arguments: [String: any SQLBindable]) throws(DatabaseError) {
        sqlite3_clear_bindings(handle)
        var used = Set<String>()
        for index in stride(from: Int32(1), through: Int32(parameterCount), by: 1) {
            guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                throw DatabaseError.misuse("parameter \(index) is positional ('?'); pass an array of arguments instead", sql: sql)
            }
            let full = String(cString: cName)
            let bare = String(full.dropFirst())
            guard let value = arguments[bare] ?? arguments[full] else {
                throw DatabaseError.misuse("no value was given for the parameter \(full)", sql: sql)
            }
            used.insert(arguments[bare] != nil ? bare : full)
            try bind(value.sqlValue, at: index)
        }
        if let extra = arguments.keys.first(where: { !used.contains($0) }) {
            throw DatabaseError.misuse("the statement has no parameter named '\(extra)'", sql: sql)
        }
    }

    func bind(_ arguments: StatementArguments) throws(DatabaseError) {
        switch arguments {
        case .positional(let values): try bind(values)
        case .named(let values): try bind(named: values)
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int32) throws(DatabaseError) {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            code = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            let length = Int32(clamping: text.utf8.count)
            code = text.withCString { sqlite3_bind_text(handle, index, $0, length, clanbot_sqlite_transient()) }
        case .blob(let bytes):
            if bytes.isEmpty {
                // A nil pointer would bind NULL: an empty blob is a zero-length blob.
                code = sqlite3_bind_zeroblob(handle, index, 0)
            } else {
                code = bytes.withUnsafeBytes {
                    sqlite3_bind_blob(handle, index, $0.baseAddress, Int32(clamping: $0.count), clanbot_sqlite_transient())
                }
            }
        }
        guard code == SQLITE_OK else { throw DatabaseError(connection: connection, code: code, sql: sql) }
    }

    // MARK: stepping

    /// Advances to the next row: true when a row is available, false when the statement is done.
    public func step() throws(DatabaseError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = DatabaseError(connection: connection, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Makes the statement ready to run again; keeps bindings (use `bind` to replace them).
    public func reset() {
        // The code returned repeats the last step's failure, which `step` already reported.
        sqlite3_reset(handle)
    }

    /// Binds, runs to completion and resets. Returns the number of rows changed.
    @discardableResult
    public func execute(_ arguments: [any SQLBindable] = []) throws(DatabaseError) -> Int {
        try execute(.positional(arguments))
    }

    @discardableResult
    func execute(_ arguments: StatementArguments) throws(DatabaseError) -> Int {
        defer { reset() }
        try bind(arguments)
        while try step() {}
        return Int(sqlite3_changes(connection))
    }

    /// Binds, then hands each row to `body`; stops early when `body` returns false.
    public func forEachRow(_ arguments: [any SQLBindable] = [], _ body: (Row) throws -> Bool) throws {
        try forEachRow(.positional(arguments), body)
    }

    func forEachRow(_ arguments: StatementArguments, _ body: (Row) throws -> Bool) throws {
        defer { reset() }
        try bind(arguments)
        let row = Row(statement: self)
        while try step() {
            guard try body(row) else { return }
        }
    }
}

/// Arguments for one run of a statement: positional (`?`) or by name (`:name`).
enum StatementArguments {
    case positional([any SQLBindable])
    case named([String: any SQLBindable])
}
