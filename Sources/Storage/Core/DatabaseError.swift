import CSQLite

/// A failure reported by SQLite or PostgreSQL (or a value that did not have the type the caller asked for),
/// with everything needed to act on it: the codes, the engine's own message and the statement. A PostgreSQL
/// failure carries its SQLSTATE and is mapped to the SQLite codes the repositories test for (unique, foreign key,
/// check, not null, busy), so one `isUniqueViolation` serves both.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...).
    public let resultCode: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, ...); equal to `resultCode` when there is none.
    public let extendedCode: Int32
    /// SQLite's message, e.g. "UNIQUE constraint failed: clans.guild_id, clans.slug".
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// PostgreSQL's SQLSTATE ("23505", …) when PostgreSQL reported the failure.
    public let sqlState: String?

    public init(resultCode: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil, sqlState: String? = nil) {
        self.resultCode = resultCode & 0xFF
        self.extendedCode = extendedCode ?? resultCode
        self.message = message
        self.sql = sql
        self.sqlState = sqlState
    }

    /// Reads the codes and message of the connection's last failure.
    init(connection: OpaquePointer?, code: Int32, sql: String?) {
        let message: String
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(code) {
            message = String(cString: text)
        } else {
            message = "unknown SQLite error"
        }
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.init(resultCode: code, extendedCode: extended == 0 ? code : extended, message: message, sql: sql)
    }

    public var description: String {
        if let sqlState {
            var text = "PostgreSQL error \(sqlState): \(message)"
            if let sql { text += " — in statement: \(sql.trimmingWhitespaceForDisplay)" }
            return text
        }
        let name = sqlite3_errstr(resultCode).map { String(cString: $0) } ?? "error"
        var text = "SQLite error \(resultCode) (\(name)"
        if extendedCode != resultCode { text += ", extended code \(extendedCode)" }
        text += "): \(message)"
        if let sql { text += " — in statement: \(sql.trimmingWhitespaceForDisplay)" }
        return text
    }

    // Extended codes are C macros built with shifts, which Swift does not import: spelled out here.
    public static let constraintCheck: Int32 = 19 | (1 << 8)
    public static let constraintForeignKey: Int32 = 19 | (3 << 8)
    public static let constraintNotNull: Int32 = 19 | (5 << 8)
    public static let constraintPrimaryKey: Int32 = 19 | (6 << 8)
    public static let constraintUnique: Int32 = 19 | (8 << 8)

    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }
    public var isUniqueViolation: Bool { extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey }
    /// ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER with the same message, so both count.
    public var isForeignKeyViolation: Bool {
        extendedCode == Self.constraintForeignKey || (isConstraintViolation && message.hasPrefix("FOREIGN KEY constraint failed"))
    }
    public var isCheckViolation: Bool { extendedCode == Self.constraintCheck }
    public var isNotNullViolation: Bool { extendedCode == Self.constraintNotNull }
    /// Another connection holds the lock longer than the busy timeout.
    var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }

    /// A column read as a type it does not hold (NULL as a number, text as a date, ...).
    static func mismatch(column: String, index: Int32, expected: String, found: String, sql: String) -> DatabaseError {
        DatabaseError(
            resultCode: SQLITE_MISMATCH,
            message: "column '\(column)' (index \(index)) holds \(found), but \(expected) was expected",
            sql: sql
        )
    }

    static func misuse(_ message: String, sql: String? = nil) -> DatabaseError {
        DatabaseError(resultCode: SQLITE_MISUSE, message: message, sql: sql)
    }
}

extension String {
    /// Collapses runs of whitespace so a multi-line statement reads on one line in a log.
    var trimmingWhitespaceForDisplay: String {
        split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
