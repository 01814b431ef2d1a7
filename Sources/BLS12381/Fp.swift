import Cryptography

/// An element of the BLS12-381 base field Fp, p = 0x1a0111ea…aaab (381 bits), in Montgomery form (a·2^384 mod p)
/// over six little-endian 64-bit limbs.
///
/// Every operation is branch-free on the value (additions, subtractions, Montgomery multiplication with a masked
/// final subtraction), so the arithmetic can be used with secret scalars. Exponentiations use a public exponent.
struct Fp: Sendable {
    typealias Limbs = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    var limbs: Limbs

    init(montgomery limbs: Limbs) { self.limbs = limbs }

    static let modulus: Limbs = (0xb9fe_ffff_ffff_aaab, 0x1eab_fffe_b153_ffff, 0x6730_d2a0_f6b0_f624,
                                 0x6477_4b84_f385_12bf, 0x4b1b_a7b6_434b_acd7, 0x1a01_11ea_397f_e69a)
    /// −p⁻¹ mod 2⁶⁴, for Montgomery reduction.
    static let inverseModulus: UInt64 = 0x89f3_fffc_fffc_fffd
    static let modulusWords = words(modulus)

    public static let zero = Fp(montgomery: (0, 0, 0, 0, 0, 0))
    /// 2^768 mod p: multiplying a plain integer by it (Montgomery) gives its Montgomery form.
    static let rSquared: Fp = {
        var value = Fp(montgomery: (1, 0, 0, 0, 0, 0))
        for _ in 0..<768 { value = value + value }
        return value
    }()
    public static let one = Fp(integer: [1])

    /// The canonical integer `words` (little-endian, already reduced below p).
    init(integer words: [UInt64]) {
        var plain = Fp.zero
        withLimbs(&plain.limbs) { for (index, word) in words.enumerated() { $0[index] = word } }
        self = plain * Fp.rSquared
    }

    /// Big-endian hexadecimal, for constants copied from specifications (must be below p).
    init(hex: String) {
        let words = WordArithmetic.words(hex: hex, count: 6)
        precondition(WordArithmetic.compare(words, Fp.modulusWords) < 0, "constant is not below p")
        self.init(integer: words)
    }

    /// The 48-byte big-endian encoding; nil when the integer is not below p.
    init?(bytes: ArraySlice<UInt8>) {
        let words = WordArithmetic.words(bytes: bytes, count: 6)
        guard WordArithmetic.compare(words, Fp.modulusWords) < 0 else { return nil }
        self.init(integer: words)
    }

    /// The integer `words` of up to 384 bits (any value, not necessarily below p), reduced mod p.
    init(reducing words: [UInt64]) {
        var plain = Fp.zero
        withLimbs(&plain.limbs) { for (index, word) in words.enumerated() { $0[index] = word } }
        // Montgomery multiplication accepts one operand below 2^384 as long as the other is below p.
        self = plain * Fp.rSquared
    }

    /// The canonical integer, little-endian.
    var integer: [UInt64] {
        Fp.words((self * Fp(montgomery: (1, 0, 0, 0, 0, 0))).limbs)
    }

    /// The 48-byte big-endian encoding of the canonical integer.
    public var bytes: [UInt8] { WordArithmetic.bytes(words: integer) }

    public var isZero: Bool { (limbs.0 | limbs.1 | limbs.2 | limbs.3 | limbs.4 | limbs.5) == 0 }

    /// The parity of the canonical integer (RFC 9380 sgn0 for m = 1).
    var isOdd: Bool { integer[0] & 1 == 1 }

    /// True when the canonical integer is above (p − 1)/2: the larger of y and −y (ZCash serialization).
    var isLexicographicallyLargest: Bool { WordArithmetic.compare(integer, Fp.halfModulus) > 0 }
    static let halfModulus = WordArithmetic.shiftRight(modulusWords, by: 1)

    static func words(_ limbs: Limbs) -> [UInt64] { [limbs.0, limbs.1, limbs.2, limbs.3, limbs.4, limbs.5] }
}

/// Runs `body` over the six limbs as a buffer (stack memory: no allocation).
@inline(__always)
func withLimbs<R>(_ limbs: inout Fp.Limbs, _ body: (UnsafeMutableBufferPointer<UInt64>) -> R) -> R {
    withUnsafeMutablePointer(to: &limbs) { pointer in
        pointer.withMemoryRebound(to: UInt64.self, capacity: 6) { body(UnsafeMutableBufferPointer(start: $0, count: 6)) }
    }
}

extension Fp {
    @inline(__always)
    public static func + (a: Fp, b: Fp) -> Fp {
        var sum = a
        var other = b
        withLimbs(&sum.limbs) { s in
            withLimbs(&other.limbs) { o in
                var carry: UInt64 = 0
                for i in 0..<6 { (s[i], carry) = addWithCarry(s[i], o[i], carry) }
            }
        }
        // Both operands are below p < 2^382, so the sum fits in 384 bits; subtract p once if it is not below p.
        return sum.subtractingModulusIfNotBelow(extraBit: 0)
    }

    @inline(__always)
    public static func - (a: Fp, b: Fp) -> Fp {
        var difference = a
        var other = b
        withLimbs(&difference.limbs) { d in
            withLimbs(&other.limbs) { o in
                var borrow: UInt64 = 0
                for i in 0..<6 { (d[i], borrow) = subtractWithBorrow(d[i], o[i], borrow) }
                // On a borrow, add p back (masked, no branch).
                let mask = 0 &- borrow
                var modulus = Fp.modulus
                withLimbs(&modulus) { m in
                    var carry: UInt64 = 0
                    for i in 0..<6 { (d[i], carry) = addWithCarry(d[i], m[i] & mask, carry) }
                }
            }
        }
        return difference
    }

    @inline(__always)
    public static prefix func - (a: Fp) -> Fp { Fp.zero - a }

    /// Montgomery multiplication (CIOS): a·b·2^−384 mod p.
    @inline(__always)
    public static func * (a: Fp, b: Fp) -> Fp {
        var left = a
        var right = b
        var modulus = Fp.modulus
        var result = Fp.zero
        var extra: UInt64 = 0
        withLimbs(&left.limbs) { x in
            withLimbs(&right.limbs) { y in
                withLimbs(&modulus) { m in
                    withLimbs(&result.limbs) { t in
                        var t6: UInt64 = 0
                        for i in 0..<6 {
                            var carry: UInt64 = 0
                            for j in 0..<6 { (t[j], carry) = multiplyAdd(x[j], y[i], t[j], carry) }
                            let (t6Sum, t7) = addWithCarry(t6, carry, 0)
                            let factor = t[0] &* Fp.inverseModulus
                            (_, carry) = multiplyAdd(factor, m[0], t[0], 0)
                            for j in 1..<6 { (t[j - 1], carry) = multiplyAdd(factor, m[j], t[j], carry) }
                            let (top, carry2) = addWithCarry(t6Sum, carry, 0)
                            t[5] = top
                            t6 = t7 &+ carry2
                        }
                        extra = t6
                    }
                }
            }
        }
        return result.subtractingModulusIfNotBelow(extraBit: extra)
    }

    @inline(__always)
    func squared() -> Fp { self * self }

    @inline(__always)
    func doubled() -> Fp { self + self }

    /// Subtracts p when the value (with a possible 385th bit) is at least p, without branching.
    @inline(__always)
    private func subtractingModulusIfNotBelow(extraBit: UInt64) -> Fp {
        var value = self
        var reduced = self
        var modulus = Fp.modulus
        withLimbs(&reduced.limbs) { r in
            withLimbs(&modulus) { m in
                var borrow: UInt64 = 0
                for i in 0..<6 { (r[i], borrow) = subtractWithBorrow(r[i], m[i], borrow) }
                // Keep the subtraction unless it borrowed past the extra bit.
                let (_, finalBorrow) = subtractWithBorrow(extraBit, 0, borrow)
                let keepOriginal = 0 &- finalBorrow
                withLimbs(&value.limbs) { v in
                    for i in 0..<6 { r[i] = (v[i] & keepOriginal) | (r[i] & ~keepOriginal) }
                }
            }
        }
        return reduced
    }

    /// `b` when `choice` is true, else `a`, without branching on `choice`.
    @inline(__always)
    static func select(_ a: Fp, _ b: Fp, _ choice: Bool) -> Fp {
        let mask = 0 &- UInt64(choice ? 1 : 0)
        var result = a
        var other = b
        withLimbs(&result.limbs) { r in
            withLimbs(&other.limbs) { o in for i in 0..<6 { r[i] = (r[i] & ~mask) | (o[i] & mask) } }
        }
        return result
    }

    /// self^exponent for a public exponent (little-endian words); the sequence of operations depends only on it.
    func power(_ exponent: [UInt64]) -> Fp {
        var result = Fp.one
        for word in exponent.reversed() {
            for bit in (0..<64).reversed() {
                result = result.squared()
                if (word >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    static let inverseExponent = WordArithmetic.subtract(modulusWords, 2)
    static let squareRootExponent = WordArithmetic.shiftRight(WordArithmetic.add(modulusWords, 1), by: 2)

    /// 1/self by Fermat's little theorem (0 for 0).
    func inverse() -> Fp { power(Fp.inverseExponent) }

    /// A square root, or nil when self is not a square (p ≡ 3 mod 4, so the root is self^((p+1)/4)).
    func squareRoot() -> Fp? {
        let root = power(Fp.squareRootExponent)
        return root.squared() == self ? root : nil
    }
}

extension Fp: Equatable {
    public static func == (a: Fp, b: Fp) -> Bool {
        let difference = (a.limbs.0 ^ b.limbs.0) | (a.limbs.1 ^ b.limbs.1) | (a.limbs.2 ^ b.limbs.2)
            | (a.limbs.3 ^ b.limbs.3) | (a.limbs.4 ^ b.limbs.4) | (a.limbs.5 ^ b.limbs.5)
        return difference == 0
    }
}

extension Fp: CustomStringConvertible {
    public var description: String { "0x" + bytes.hexString }
}

@inline(__always)
func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
    let (sum1, overflow1) = a.addingReportingOverflow(b)
    let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
    return (sum2, (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0))
}

@inline(__always)
func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
    let (difference1, overflow1) = a.subtractingReportingOverflow(b)
    let (difference2, overflow2) = difference1.subtractingReportingOverflow(borrow)
    return (difference2, (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0))
}

/// a·b + c + carry as (low word, high word); never overflows 128 bits.
@inline(__always)
func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
    let (high, low) = a.multipliedFullWidth(by: b)
    let (sum1, overflow1) = low.addingReportingOverflow(c)
    let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
    return (sum2, high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0))
}
