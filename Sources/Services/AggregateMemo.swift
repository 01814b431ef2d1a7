import Foundation
import Storage

/// An in-process copy of decoded cache rows, so a warm read skips JSON decoding.
/// The database row stays the source of truth: a copy is used only while its row id and
/// generation time still match the row the database holds (another process may have replaced it).
struct AggregateMemo<Value: Sendable>: Sendable {
    private var entries: [String: (entry: AggregateCacheRepository.Entry, value: Value)] = [:]
    private let capacity: Int

    init(capacity: Int = 256) { self.capacity = capacity }

    func value(for key: String, matching entry: AggregateCacheRepository.Entry) -> Value? {
        guard let held = entries[key], held.entry == entry else { return nil }
        return held.value
    }

    mutating func remember(_ value: Value, for key: String, entry: AggregateCacheRepository.Entry) {
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = (entry, value)
    }

    mutating func forget() { entries.removeAll() }
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
