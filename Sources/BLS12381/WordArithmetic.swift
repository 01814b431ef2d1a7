import Cryptography

/// Plain multi-word integers (little-endian UInt64 words) for constants and encodings: parsing, comparing,
/// shifting, small additions and divisions. Used when building constants and reading bytes, not in the hot paths.
enum WordArithmetic {
    /// `count` little-endian words from big-endian hexadecimal (an optional 0x prefix, any length up to the words).
    static func words(hex: String, count: Int) -> [UInt64] {
        var digits = hex.hasPrefix("0x") ? String(hex.dropFirst(2)) : hex
        if digits.count % 2 == 1 { digits = "0" + digits }
        guard let bytes = [UInt8](hexString: digits) else { preconditionFailure("not hexadecimal: \(hex)") }
        return words(bytes: bytes[...], count: count)
    }

    /// `count` little-endian words from big-endian bytes (at most 8·count of them).
    static func words(bytes: ArraySlice<UInt8>, count: Int) -> [UInt64] {
        precondition(bytes.count <= count * 8, "too many bytes for \(count) words")
        var result = [UInt64](repeating: 0, count: count)
        for (position, byte) in bytes.reversed().enumerated() {
            result[position / 8] |= UInt64(byte) << UInt64(8 * (position % 8))
        }
        return result
    }

    /// Big-endian bytes, 8 per word.
    static func bytes(words: [UInt64]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(words.count * 8)
        for word in words.reversed() {
            for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return result
    }

    /// −1, 0 or 1 as a is below, equal to or above b (same number of words).
    static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
        for index in (0..<max(a.count, b.count)).reversed() {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            if left != right { return left < right ? -1 : 1 }
        }
        return 0
    }

    static func shiftRight(_ a: [UInt64], by shift: Int) -> [UInt64] {
        precondition(shift > 0 && shift < 64)
        var result = a
        for index in 0..<a.count {
            let next = index + 1 < a.count ? a[index + 1] : 0
            result[index] = (a[index] >> UInt64(shift)) | (next << UInt64(64 - shift))
        }
        return result
    }

    static func add(_ a: [UInt64], _ small: UInt64) -> [UInt64] {
        var result = a
        var carry = small
        for index in 0..<result.count where carry != 0 {
            let (sum, overflow) = result[index].addingReportingOverflow(carry)
            result[index] = sum
            carry = overflow ? 1 : 0
        }
        precondition(carry == 0, "overflow")
        return result
    }

    static func subtract(_ a: [UInt64], _ small: UInt64) -> [UInt64] {
        var result = a
        var borrow = small
        for index in 0..<result.count where borrow != 0 {
            let (difference, overflow) = result[index].subtractingReportingOverflow(borrow)
            result[index] = difference
            borrow = overflow ? 1 : 0
        }
        precondition(borrow == 0, "underflow")
        return result
    }

    /// a / divisor, which must divide a exactly.
    static func divideExactly(_ a: [UInt64], by divisor: UInt64) -> [UInt64] {
        var result = a
        var remainder: UInt64 = 0
        for index in (0..<a.count).reversed() {
            (result[index], remainder) = divisor.dividingFullWidth((remainder, a[index]))
        }
        precondition(remainder == 0, "not divisible")
        return result
    }

    /// The bits of `a`, most significant first, without leading zeros.
    static func bits(_ a: [UInt64]) -> [Bool] {
        var bits: [Bool] = []
        for word in a.reversed() {
            for bit in (0..<64).reversed() { bits.append((word >> UInt64(bit)) & 1 == 1) }
        }
        guard let first = bits.firstIndex(of: true) else { return [] }
        return Array(bits[first...])
    }
}
