/// The fields of an ErrorResponse or NoticeResponse, keyed by their one-letter codes.
struct PostgresErrorFields: Sendable, Equatable {
    var fields: [UInt8: String]

    subscript(_ code: Character) -> String? { fields[code.asciiValue!] }

    /// The error as this client reports it, with the statement that caused it (if any).
    func serverError(statement: String?) -> PostgresServerError {
        PostgresServerError(
            severity: self["V"] ?? self["S"] ?? "ERROR",
            sqlState: self["C"] ?? "XX000",
            message: self["M"] ?? "(no message)",
            detail: self["D"],
            hint: self["H"],
            position: self["P"].flatMap { Int($0) },
            table: self["t"],
            constraint: self["n"],
            statement: statement)
    }
}

/// An error the server reported: SQLSTATE (e.g. 23505 unique_violation), message, detail and the statement.
public struct PostgresServerError: Sendable, Equatable, CustomStringConvertible {
    /// ERROR, FATAL or PANIC (never localised).
    public let severity: String
    /// The five-character SQLSTATE code; see PostgreSQL's "Error Codes" appendix.
    public let sqlState: String
    public let message: String
    public let detail: String?
    public let hint: String?
    /// 1-based character position in the statement the error points at.
    public let position: Int?
    public let table: String?
    public let constraint: String?
    /// The SQL that failed (never its parameters, which may be secret).
    public let statement: String?

    /// FATAL and PANIC end the session: the server closes the connection after sending it.
    public var endsSession: Bool { severity == "FATAL" || severity == "PANIC" }

    public var description: String {
        var text = "PostgreSQL \(severity) \(sqlState): \(message)"
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        if let statement {
            text += " in statement: \(statement.count > 500 ? String(statement.prefix(500)) + "…" : statement)"
        }
        return text
    }
}
