import Foundation
import Storage

/// An in-process copy of decoded cache rows, so a warm read skips JSON decoding.
/// The database row stays the source of truth: a copy is used only while its row id and
/// generation time still match the row the database holds (another process may have replaced it).
/// Bounded (`BoundedMemo`): at most 32 copies and 20,000 rows (board lines, report lines) in all; a copy
/// that is not held costs one decode of its row.
struct AggregateMemo<Value: Sendable>: Sendable {
    private struct Held: Sendable {
        let entry: AggregateCacheRepository.Entry
        let value: Value
    }

    private var memo: BoundedMemo<String, Held>

    init(maxEntries: Int = 32, maxRows: Int = 20_000) {
        memo = BoundedMemo(maxEntries: maxEntries, maxRows: maxRows)
    }

    mutating func value(for key: String, matching entry: AggregateCacheRepository.Entry) -> Value? {
        guard let held = memo.value(for: key), held.entry == entry else { return nil }
        return held.value
    }

    /// Holds `value` (of `rows` rows) for `key` while its row is `entry`.
    mutating func remember(_ value: Value, rows: Int, for key: String, entry: AggregateCacheRepository.Entry) {
        memo.remember(Held(entry: entry, value: value), for: key, rows: rows)
    }

    mutating func forget() { memo.forgetAll() }

    /// How many copies are held, and their rows (for tests).
    var count: Int { memo.count }
    var rows: Int { memo.rows }
}

/// Encodes cached aggregates the same way everywhere (dates as epoch milliseconds, keys sorted).
enum AggregateCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
