import Foundation

/// One bound parameter. Parameters travel apart from the SQL text (the extended query protocol), so a value
/// can never change what a statement does. Each is sent in PostgreSQL's binary format with its type.
public enum PostgresData: Sendable, Equatable {
    case null
    case int64(Int64)
    case double(Double)
    case text(String)
    case bool(Bool)
    case bytes([UInt8])
    /// A point in time, sent as `timestamptz` (microsecond precision).
    case timestamp(Date)

    /// The type OID the server is told, so `$1` needs no cast.
    var typeOID: UInt32 {
        switch self {
        case .null: 0  // unspecified: the server infers it from the statement
        case .int64: PostgresType.int8
        case .double: PostgresType.float8
        case .text: PostgresType.text
        case .bool: PostgresType.bool
        case .bytes: PostgresType.bytea
        case .timestamp: PostgresType.timestamptz
        }
    }

    /// The binary wire form; nil for NULL.
    var binaryValue: [UInt8]? {
        switch self {
        case .null: return nil
        case .int64(let value): return value.bigEndianBytes
        case .double(let value): return value.bitPattern.bigEndianBytes
        case .text(let value): return Array(value.utf8)
        case .bool(let value): return [value ? 1 : 0]
        case .bytes(let value): return value
        case .timestamp(let date): return PostgresTimestamp.microseconds(since2000: date).bigEndianBytes
        }
    }
}

extension PostgresData: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }

    public init(_ value: Int) { self = .int64(Int64(value)) }
    public init(_ value: Data) { self = .bytes(Array(value)) }
}

/// Type OIDs from PostgreSQL's pg_type catalogue (stable across versions).
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let varchar: UInt32 = 1043
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
}

extension FixedWidthInteger {
    var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: bigEndian) { Array($0) }
    }
}
