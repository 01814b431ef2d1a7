/// A small in-process cache with clear limits: at most `maxEntries` values and at most `maxRows` rows in all
/// (a value's rows: the members of a board, the records of a metric), the least recently used leaving first.
///
/// Bounded by rows as well as by entries because one clan's board can be a hundred times another's: under a
/// burst of reads over many metrics, a cache bounded only by entries kept megabytes of boards that were never
/// asked for again, and resident memory stayed up after the burst. A value bigger than `maxRows` is not kept.
struct BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Held: Sendable {
        var value: Value
        var rows: Int
        var lastUse: UInt64
    }

    let maxEntries: Int
    let maxRows: Int
    private var entries: [Key: Held] = [:]
    private var uses: UInt64 = 0
    /// The rows of the values held.
    private(set) var rows = 0

    init(maxEntries: Int, maxRows: Int) {
        self.maxEntries = max(1, maxEntries)
        self.maxRows = max(1, maxRows)
    }

    /// How many values are held.
    var count: Int { entries.count }

    /// The value held for `key`, now the most recently used; nil when none is.
    mutating func value(for key: Key) -> Value? {
        guard var held = entries[key] else { return nil }
        uses += 1
        held.lastUse = uses
        entries[key] = held
        return held.value
    }

    /// Holds `value` (of `rows` rows) for `key`, replacing what was held for it, then lets the least recently
    /// used values go until both limits are kept.
    mutating func remember(_ value: Value, for key: Key, rows valueRows: Int) {
        forget(key)
        let valueRows = max(0, valueRows)
        guard valueRows <= maxRows else { return }
        uses += 1
        entries[key] = Held(value: value, rows: valueRows, lastUse: uses)
        rows += valueRows
        while entries.count > maxEntries || rows > maxRows {
            // Linear in the entries, which are few (tens): cheaper than keeping an ordered list in step.
            guard let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { break }
            forget(oldest)
        }
    }

    /// Drops the value held for `key`.
    mutating func forget(_ key: Key) {
        if let held = entries.removeValue(forKey: key) { rows -= held.rows }
    }

    /// Drops everything, and the storage with it.
    mutating func forgetAll() {
        entries = [:]
        rows = 0
    }
}
