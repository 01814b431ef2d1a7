import Domain
import Foundation

/// Why a hiscores body could not be read. `description` names the place and the problem.
public struct HiscoresParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset in the body where the problem was found.
    public let offset: Int
    public let reason: String

    public var description: String { "malformed hiscores JSON at byte \(offset): \(reason)" }
}

/// Parses the body of `index_lite.json` as the game serves it:
///
///     {"skills":[{"id":0,"name":"Overall","rank":132911,"level":2165,"xp":542582471}, ...],
///      "activities":[{"id":0,"name":"League Points","rank":-1,"score":-1}, ...]}
///
/// A small scanner for this one shape rather than JSONDecoder (see the hiscores benchmark for why):
/// keys may come in any order, unknown keys and values are skipped, strings may contain escapes,
/// and every row the game sends is kept, known to us or not. Anything else is a `HiscoresParseError`.
public enum HiscoresParser {
    /// The largest rank, level, xp or score accepted: far above anything the game serves (200m xp a
    /// skill, a few million ranks), and small enough that sums over a whole clan's rows cannot overflow.
    /// Below it only -1 (unranked) is accepted.
    static let largestValue: Int64 = 1_000_000_000_000

    public static func parse(_ body: Data) throws(HiscoresParseError) -> HiscoresRecord {
        let result: Result<HiscoresRecord, HiscoresParseError> = body.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw.bindMemory(to: UInt8.self))
            do throws(HiscoresParseError) {
                return .success(try scanner.record())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(HiscoresParseError) -> HiscoresRecord {
        try parse(Data(text.utf8))
    }
}

/// A forward-only reader over the body's bytes.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: The hiscores shape

    mutating func record() throws(HiscoresParseError) -> HiscoresRecord {
        var skills: [SkillScore]?
        var activities: [ActivityScore]?
        try expect(UInt8(ascii: "{"))
        if try !consumeIf(UInt8(ascii: "}")) {
            repeat {
                let key = try keyBytes()
                if Self.key(key, is: "skills") {
                    skills = try rows(capacity: 26) { (s: inout JSONScanner, index: Int) throws(HiscoresParseError) in
                        try s.skill(expectedName: index < KnownNames.skills.count ? KnownNames.skills[index] : nil)
                    }
                } else if Self.key(key, is: "activities") {
                    activities = try rows(capacity: 100) { (s: inout JSONScanner, index: Int) throws(HiscoresParseError) in
                        try s.activity(expectedName: index < KnownNames.activities.count ? KnownNames.activities[index] : nil)
                    }
                } else {
                    try skipValue()
                }
            } while try consumeIf(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected data after the JSON object") }
        guard let skills else { throw fail("no \"skills\" array") }
        return HiscoresRecord(skills: skills, activities: activities ?? [])
    }

    private mutating func rows<Row>(
        capacity: Int, _ row: (inout JSONScanner, Int) throws(HiscoresParseError) -> Row
    ) throws(HiscoresParseError) -> [Row] {
        var result: [Row] = []
        result.reserveCapacity(capacity)
        try expect(UInt8(ascii: "["))
        if try consumeIf(UInt8(ascii: "]")) { return result }
        repeat {
            result.append(try row(&self, result.count))
        } while try consumeIf(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return result
    }

    /// The fields of one skill or activity row; which ones a row needs is up to the caller.
    private struct RowFields {
        var name: String?
        var rank: Int64?
        var level: Int64?
        var xp: Int64?
        var score: Int64?
    }

    /// Reads one `{...}` row of either array: keys in any order, unknown keys skipped.
    private mutating func rowFields(expectedName: KnownName?) throws(HiscoresParseError) -> RowFields {
        var fields = RowFields()
        try expect(UInt8(ascii: "{"))
        if try !consumeIf(UInt8(ascii: "}")) {
            repeat {
                let key = try keyBytes()
                if Self.key(key, is: "name") {
                    fields.name = try string(expected: expectedName)
                } else if Self.key(key, is: "rank") {
                    fields.rank = try integer()
                } else if Self.key(key, is: "level") {
                    fields.level = try integer()
                } else if Self.key(key, is: "xp") {
                    fields.xp = try integer()
                } else if Self.key(key, is: "score") {
                    fields.score = try integer()
                } else {
                    try skipValue()
                }
            } while try consumeIf(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        }
        return fields
    }

    private mutating func skill(expectedName: KnownName?) throws(HiscoresParseError) -> SkillScore {
        let start = position
        let fields = try rowFields(expectedName: expectedName)
        guard let name = fields.name, let rank = fields.rank, let level = fields.level, let xp = fields.xp else {
            throw HiscoresParseError(offset: start, reason: "a skill needs name, rank, level and xp")
        }
        guard [rank, level, xp].allSatisfy(Self.isInRange), let rank32 = Int(exactly: rank), let level32 = Int(exactly: level) else {
            throw HiscoresParseError(offset: start, reason: "skill \(name) has an out-of-range number")
        }
        return SkillScore(name: name, rank: rank32, level: level32, xp: xp)
    }

    private mutating func activity(expectedName: KnownName?) throws(HiscoresParseError) -> ActivityScore {
        let start = position
        let fields = try rowFields(expectedName: expectedName)
        guard let name = fields.name, let rank = fields.rank, let score = fields.score else {
            throw HiscoresParseError(offset: start, reason: "an activity needs name, rank and score")
        }
        guard Self.isInRange(rank), Self.isInRange(score), let rankInt = Int(exactly: rank), let scoreInt = Int(exactly: score) else {
            throw HiscoresParseError(offset: start, reason: "activity \(name) has an out-of-range number")
        }
        return ActivityScore(name: name, rank: rankInt, score: scoreInt)
    }

    private static func isInRange(_ value: Int64) -> Bool {
        (-1...HiscoresParser.largestValue).contains(value)
    }

    // MARK: JSON pieces

    static func key(_ key: UnsafeBufferPointer<UInt8>, is word: StaticString) -> Bool {
        guard key.count == word.utf8CodeUnitCount, let base = key.baseAddress else { return key.isEmpty && word.utf8CodeUnitCount == 0 }
        return memcmp(base, word.utf8Start, key.count) == 0
    }

    /// Reads `"key":` and returns the key's raw bytes (keys here never need unescaping).
    private mutating func keyBytes() throws(HiscoresParseError) -> UnsafeBufferPointer<UInt8> {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let start = position + 1
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated key") }
        position = index + 1
        try expect(UInt8(ascii: ":"))
        return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// Reads a string. When its bytes equal `expected` (the name the game serves at this position),
    /// the stored string is returned instead of a new one: no allocation for the usual body.
    mutating func string(expected: KnownName? = nil) throws(HiscoresParseError) -> String {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = position + 1
        var index = start
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            } else if byte < 0x20 {
                throw HiscoresParseError(offset: index, reason: "control character in a string")
            }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated string") }
        position = index + 1
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if escaped { return try unescape(raw, at: start) }
        if let expected, expected.matches(raw) { return expected.string }
        return String(decoding: raw, as: UTF8.self)
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) throws(HiscoresParseError) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = 0
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            flush()
            guard index + 1 < raw.count else { throw HiscoresParseError(offset: offset + index, reason: "bad escape") }
            let code = raw[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var value = hex4(raw, index) else {
                    throw HiscoresParseError(offset: offset + index, reason: "bad \\u escape")
                }
                index += 4
                // A surrogate pair: \uD83D\uDE00.
                if (0xD800..<0xDC00).contains(value), index + 6 <= raw.count,
                    raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                    let low = hex4(raw, index + 2), (0xDC00..<0xE000).contains(low)
                {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default:
                throw HiscoresParseError(offset: offset + index - 1, reason: "bad escape")
            }
        }
        flush()
        return String(scalars)
    }

    private func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for byte in raw[at..<(at + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// An integer; a fraction or exponent is rejected (the hiscores never send one).
    mutating func integer() throws(HiscoresParseError) -> Int64 {
        skipWhitespace()
        let start = position
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var value: Int64 = 0
        var digits = 0
        while position < bytes.count {
            let byte = bytes[position]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw HiscoresParseError(offset: start, reason: "number too large") }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw HiscoresParseError(offset: start, reason: "expected a number") }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            throw HiscoresParseError(offset: start, reason: "expected a whole number")
        }
        return negative ? -value : value
    }

    /// Skips any JSON value (for keys this parser does not use).
    mutating func skipValue(depth: Int = 0) throws(HiscoresParseError) {
        guard depth < 64 else { throw fail("nesting too deep") }
        skipWhitespace()
        guard position < bytes.count else { throw fail("expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            position += 1
            if try consumeIf(UInt8(ascii: "}")) { return }
            repeat {
                _ = try keyBytes()
                try skipValue(depth: depth + 1)
            } while try consumeIf(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if try consumeIf(UInt8(ascii: "]")) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try consumeIf(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            // A number, possibly with fraction and exponent.
            let start = position
            while position < bytes.count, "+-.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
            guard position > start else { throw fail("unexpected character") }
        }
    }

    private mutating func literal(_ word: StaticString) throws(HiscoresParseError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
            UnsafeBufferPointer(rebasing: bytes[position..<(position + count)]).elementsEqual(
                UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw fail("unexpected character") }
        position += count
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(HiscoresParseError) {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end, expected \"\(Character(Unicode.Scalar(byte)))\"") }
        guard bytes[position] == byte else { throw fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
        position += 1
    }

    private mutating func consumeIf(_ byte: UInt8) throws(HiscoresParseError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of body") }
        if bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    private func fail(_ reason: String) -> HiscoresParseError {
        HiscoresParseError(offset: position, reason: reason)
    }
}

/// A row name the game is known to serve, with its bytes ready for comparison.
struct KnownName: Sendable {
    let string: String
    let bytes: [UInt8]

    init(_ string: String) {
        self.string = string
        bytes = Array(string.utf8)
    }

    func matches(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard raw.count == bytes.count else { return false }
        guard let rawBase = raw.baseAddress else { return bytes.isEmpty }
        return bytes.withUnsafeBufferPointer { known in
            guard let knownBase = known.baseAddress else { return false }
            return memcmp(knownBase, rawBase, raw.count) == 0
        }
    }
}

/// `HiscoresRows` by position, for the parser's string reuse.
enum KnownNames {
    static let skills = HiscoresRows.skillNames.map(KnownName.init)
    static let activities = HiscoresRows.activityNames.map(KnownName.init)
}
