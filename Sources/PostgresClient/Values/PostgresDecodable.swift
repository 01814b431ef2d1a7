import Cryptography
import Foundation

/// A Swift type a result column can be read as. Results arrive in PostgreSQL's text format
/// (the connection sets DateStyle ISO and TimeZone UTC, so times parse the same everywhere).
public protocol PostgresDecodable: Sendable {
    static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Self
    static func decodeNull(column: String) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    public static func decodeNull(column: String) throws(PostgresError) -> Self {
        throw .decoding("column \(column) is NULL; read it as an Optional")
    }

    static func mismatch(_ column: PostgresColumn, _ text: String) -> PostgresError {
        .decoding("column \(column.name) (type OID \(column.typeOID)) holds \"\(text.prefix(40))\", not a \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Self {
        try Wrapped.decode(text: text, column: column)
    }

    public static func decodeNull(column: String) throws(PostgresError) -> Self { nil }
}

extension Int64: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Int64 {
        guard let value = Int64(text) else { throw mismatch(column, text) }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Int {
        guard let value = Int(text) else { throw mismatch(column, text) }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Double {
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default:
            guard let value = Double(text) else { throw mismatch(column, text) }
            return value
        }
    }
}

extension String: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> String { text }
}

extension Bool: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Bool {
        switch text {
        case "t": return true
        case "f": return false
        default: throw mismatch(column, text)
        }
    }
}

/// bytea, printed by the server as `\x` and hexadecimal (bytea_output = hex, the default since 9.0).
extension Data: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Data {
        guard column.typeOID == PostgresType.bytea, text.hasPrefix("\\x"), let bytes = [UInt8](hexString: String(text.dropFirst(2))) else {
            throw mismatch(column, text)
        }
        return Data(bytes)
    }
}

extension Date: PostgresDecodable {
    public static func decode(text: String, column: PostgresColumn) throws(PostgresError) -> Date {
        guard let date = PostgresTimestamp.parse(text) else { throw mismatch(column, text) }
        return date
    }
}
