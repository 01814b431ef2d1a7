/// Seeded, reproducible mutations of valid input for the malformed-input tests: a failing case is
/// replayed from its seed and index. Each call applies one of the ways real input goes wrong.
public struct Mutator {
    public var random: SeededGenerator

    public init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// Values a JSON field may wrongly hold: other types, huge and odd numbers, broken strings.
    public static let strangeValues: [String] = [
        "null", "true", "false", "[]", "{}", "\"\"", "\"text\"", "0", "-1", "-0", "1.5", "1e400", "-1e400", "1E2",
        "99999999999999999999999999999", "-99999999999999999999999999999", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "18446744073709551616", "4294967296", "2147483648",
        "\"99999999999999999999999999999\"", "\"-1\"", "\"\\ud800\"", "\"\\u0000\"", "[[[[[[[[[[]]]]]]]]]]",
        "{\"a\":{\"a\":{\"a\":{}}}}", "\"\u{202E}\u{0000}\u{FFFD}\"",
    ]

    /// Byte sequences that are not UTF-8 (lone continuation, overlong, surrogate, past U+10FFFF, truncated).
    public static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ]

    /// One mutation of `bytes` (a JSON body or any text).
    public mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return Array(Self.strangeValues[pick(Self.strangeValues.count)].utf8) }
        var result = bytes
        switch pick(9) {
        case 0:  // truncated
            result = Array(bytes.prefix(pick(bytes.count)))
        case 1:  // a range removed
            let (start, end) = range(in: bytes.count)
            result.removeSubrange(start..<end)
        case 2:  // a range repeated
            let (start, end) = range(in: bytes.count)
            result.insert(contentsOf: bytes[start..<end], at: pick(bytes.count + 1))
        case 3:  // two ranges swapped (reordered)
            let a = range(in: bytes.count), b = range(in: bytes.count)
            let (first, second) = a.0 <= b.0 ? (a, b) : (b, a)
            if first.1 <= second.0 {
                result = Array(bytes[..<first.0]) + bytes[second.0..<second.1] + bytes[first.1..<second.0]
                    + bytes[first.0..<first.1] + bytes[second.1...]
            } else {
                result = Array(bytes[first.0...]) + bytes[..<first.0]  // overlapping: rotate instead
            }
        case 4:  // random bytes overwritten
            for _ in 0...pick(4) { result[pick(result.count)] = UInt8(truncatingIfNeeded: random.next()) }
        case 5:  // invalid UTF-8 inserted
            result.insert(contentsOf: Self.invalidUTF8[pick(Self.invalidUTF8.count)], at: pick(bytes.count + 1))
        case 6, 7:  // a value replaced by one of another type or size
            result = replacingValue(in: bytes)
        default:  // a structural character inserted or removed
            let structural = Array("{}[],:\"\\".utf8)
            if random.next() & 1 == 0 {
                result.insert(structural[pick(structural.count)], at: pick(bytes.count + 1))
            } else if let index = bytes.indices.filter({ structural.contains(bytes[$0]) }).randomElement(using: &random) {
                result.remove(at: index)
            }
        }
        return result
    }

    /// Several mutations in a row (1 to `limit`).
    public mutating func mutate(_ bytes: [UInt8], times limit: Int) -> [UInt8] {
        var result = bytes
        for _ in 0...pick(max(1, limit)) { result = mutate(result) }
        return result
    }

    /// The text after a random `:` up to the next `,`, `}` or `]` replaced by a strange value.
    private mutating func replacingValue(in bytes: [UInt8]) -> [UInt8] {
        let colons = bytes.indices.filter { bytes[$0] == UInt8(ascii: ":") }
        guard let colon = colons.randomElement(using: &random) else { return mutateWithoutValues(bytes) }
        var end = colon + 1
        while end < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[end]) { end += 1 }
        return Array(bytes[...colon]) + Array(Self.strangeValues[pick(Self.strangeValues.count)].utf8) + bytes[end...]
    }

    private mutating func mutateWithoutValues(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(pick(bytes.count))) + Self.strangeValues[pick(Self.strangeValues.count)].utf8
    }

    /// A mutated argument list: words dropped, repeated, swapped, cut short, or replaced by strange ones.
    public mutating func mutate(arguments: [String], vocabulary: [String]) -> [String] {
        var result = arguments
        let strange = vocabulary + ["", "-", "--", "--=", "=", "-h=", "--db", "--=x", "\u{FFFD}", "\u{0}", "\u{202E}x",
                                    "99999999999999999999999999", "-9223372036854775808", "1e400", "NaN", "-1", "0", "1.5",
                                    String(repeating: "x", count: 5_000), "🏰🏰", "a|b|c", "..", "2026-02-30..2026-13-01"]
        for _ in 0...pick(3) {
            switch pick(6) {
            case 0 where !result.isEmpty: result.remove(at: pick(result.count))
            case 1 where !result.isEmpty: result.insert(result[pick(result.count)], at: pick(result.count + 1))
            case 2 where result.count > 1: result.swapAt(pick(result.count), pick(result.count))
            case 3 where !result.isEmpty:
                let index = pick(result.count)
                result[index] = String(result[index].prefix(pick(result[index].count + 1)))
            case 4 where !result.isEmpty: result[pick(result.count)] = strange[pick(strange.count)]
            default: result.insert(strange[pick(strange.count)], at: pick(result.count + 1))
            }
        }
        return result
    }

    /// A random index below `count` (0 when `count` is 0).
    public mutating func pick(_ count: Int) -> Int {
        count <= 0 ? 0 : Int(random.next() % UInt64(count))
    }

    /// A random non-empty range inside `0..<count`, at most 64 long.
    private mutating func range(in count: Int) -> (Int, Int) {
        let start = pick(count)
        return (start, min(count, start + 1 + pick(64)))
    }
}
