import Foundation

/// A Discord ID: a 64-bit number that the API sends and expects as a JSON string
/// (JavaScript numbers cannot hold it exactly). Decodes from a string or, leniently, a number.
public struct Snowflake: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt64) { self.rawValue = value }

    /// Nil unless `text` is a plain unsigned decimal number.
    public init?(_ text: String) {
        guard let value = UInt64(text) else { return nil }
        self.rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a Discord ID (a decimal number)")
            }
            rawValue = value
        } else {
            rawValue = try container.decode(UInt64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }

    public var description: String { String(rawValue) }

    /// Milliseconds since the Discord epoch (2015-01-01T00:00:00Z) are in the top 42 bits.
    public var timestamp: Date {
        Date(timeIntervalSince1970: Double((rawValue >> 22) + 1_420_070_400_000) / 1000)
    }

    public static func < (lhs: Snowflake, rhs: Snowflake) -> Bool { lhs.rawValue < rhs.rawValue }
}
