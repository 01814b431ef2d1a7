/// A RuneScape name (RSN), validated before any request is made.
///
/// Rules (as the game allows names): 1–12 characters of ASCII letters, digits, spaces, hyphens and
/// underscores. The game treats space, underscore and hyphen as the same character and ignores case,
/// so two RSNs are equal when their `normalized` forms are (`"Iron_Man-1"` == `"iron man 1"`).
/// `display` keeps what the player typed (trimmed) for messages and embeds.
public struct RSN: Sendable, Hashable, Codable, CustomStringConvertible {
    /// As typed, with surrounding whitespace removed.
    public let display: String
    /// Lowercased, with `_` and `-` turned into spaces: the key stored in the database.
    public let normalized: String

    public static let maximumLength = 12

    /// Why a name was rejected. `description` is a sentence a Discord user can act on.
    public enum ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case tooLong(name: String, length: Int)
        case invalidCharacter(name: String, character: Character)
        case onlySeparators(name: String)

        public var description: String {
            switch self {
            case .empty:
                "A RuneScape name cannot be empty."
            case .tooLong(let name, let length):
                "\"\(name)\" is \(length) characters long; RuneScape names have at most \(RSN.maximumLength)."
            case .invalidCharacter(let name, let character):
                "\"\(name)\" contains \"\(character)\"; RuneScape names use only letters, digits, spaces, hyphens and underscores."
            case .onlySeparators(let name):
                "\"\(name)\" has no letters or digits; a RuneScape name needs at least one."
            }
        }
    }

    /// Validates `name`. Throws a `ValidationError` that says why the name cannot be an RSN.
    public init(_ name: String) throws(ValidationError) {
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let length = trimmed.count
        guard length <= Self.maximumLength else { throw .tooLong(name: trimmed, length: length) }
        var normalized = ""
        normalized.reserveCapacity(length)
        var hasLetterOrDigit = false
        for character in trimmed {
            guard let ascii = character.asciiValue else { throw .invalidCharacter(name: trimmed, character: character) }
            switch ascii {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                normalized.append(character)
                hasLetterOrDigit = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                normalized.append(Character(Unicode.Scalar(ascii + 32)))
                hasLetterOrDigit = true
            case UInt8(ascii: " "), UInt8(ascii: "_"), UInt8(ascii: "-"):
                normalized.append(" ")
            default:
                throw .invalidCharacter(name: trimmed, character: character)
            }
        }
        guard hasLetterOrDigit else { throw .onlySeparators(name: trimmed) }
        self.display = trimmed
        self.normalized = normalized
    }

    /// Non-throwing variant for places where a failure is just "no name".
    public static func validated(_ name: String) -> RSN? { try? RSN(name) }

    public var description: String { display }

    // Equality and hashing follow the game: case and separators do not matter.
    public static func == (lhs: RSN, rhs: RSN) -> Bool { lhs.normalized == rhs.normalized }
    public func hash(into hasher: inout Hasher) { hasher.combine(normalized) }

    // Codable as the display string, validated again on decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(display)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
