/// Incremental UTF-8 validation (Unicode Table 3-7): feed bytes in pieces, learn of an error at the first bad byte.
/// Rejects overlong forms, surrogates (U+D800..DFFF) and code points above U+10FFFF.
struct UTF8Validator: Sendable {
    private var remaining = 0        // continuation bytes still expected
    private var lower: UInt8 = 0x80  // allowed range of the next continuation byte
    private var upper: UInt8 = 0xBF

    public init() {}

    /// True when no multi-byte sequence is open: the text so far ends on a character boundary.
    var isAtCharacterBoundary: Bool { remaining == 0 }

    /// Returns false at the first byte that can never be part of valid UTF-8.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            index += 1
            if remaining == 0 {
                if byte < 0x80 { continue }
                switch byte {
                case 0xC2...0xDF: remaining = 1
                case 0xE0: remaining = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
                case 0xED: remaining = 2; upper = 0x9F
                case 0xF0: remaining = 3; lower = 0x90
                case 0xF1...0xF3: remaining = 3
                case 0xF4: remaining = 3; upper = 0x8F
                default: return false
                }
            } else {
                guard byte >= lower && byte <= upper else { return false }
                lower = 0x80
                upper = 0xBF
                remaining -= 1
            }
        }
        return true
    }

    public mutating func feed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Whole-buffer check.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        var validator = UTF8Validator()
        return validator.feed(bytes) && validator.isAtCharacterBoundary
    }
}
