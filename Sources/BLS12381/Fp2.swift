/// Fp2 = Fp[u]/(u² + 1): c0 + c1·u.
struct Fp2: Sendable, Equatable {
    var c0: Fp
    var c1: Fp

    public init(_ c0: Fp, _ c1: Fp) {
        self.c0 = c0
        self.c1 = c1
    }

    public static let zero = Fp2(.zero, .zero)
    public static let one = Fp2(.one, .zero)

    public var isZero: Bool { c0.isZero && c1.isZero }

    @inline(__always)
    public static func + (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 + b.c0, a.c1 + b.c1) }
    @inline(__always)
    public static func - (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 - b.c0, a.c1 - b.c1) }
    @inline(__always)
    public static prefix func - (a: Fp2) -> Fp2 { Fp2(-a.c0, -a.c1) }

    /// Karatsuba: three base-field multiplications.
    @inline(__always)
    public static func * (a: Fp2, b: Fp2) -> Fp2 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        return Fp2(t0 - t1, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    @inline(__always)
    static func * (a: Fp2, b: Fp) -> Fp2 { Fp2(a.c0 * b, a.c1 * b) }

    @inline(__always)
    func squared() -> Fp2 {
        let product = c0 * c1
        return Fp2((c0 + c1) * (c0 - c1), product + product)
    }

    @inline(__always)
    func doubled() -> Fp2 { self + self }

    /// Multiplication by ξ = 1 + u, the non-residue that builds Fp6 (and the twist's b' = 4ξ).
    @inline(__always)
    func multipliedByNonResidue() -> Fp2 { Fp2(c0 - c1, c0 + c1) }

    /// The Frobenius map x ↦ x^p, which on Fp2 is conjugation.
    @inline(__always)
    func conjugate() -> Fp2 { Fp2(c0, -c1) }

    func inverse() -> Fp2 {
        let normInverse = (c0.squared() + c1.squared()).inverse()
        return Fp2(c0 * normInverse, -(c1 * normInverse))
    }

    func power(_ exponent: [UInt64]) -> Fp2 {
        var result = Fp2.one
        for bit in WordArithmetic.bits(exponent) {
            result = result.squared()
            if bit { result = result * self }
        }
        return result
    }

    /// A square root, or nil when self is not a square. Through the norm: if a = x², then N(a) = N(x)² is a
    /// square in Fp, and x0² = (a0 ± √N(a))/2 for one choice of the sign. The candidate is checked by squaring.
    func squareRoot() -> Fp2? {
        if c1.isZero {
            if let root = c0.squareRoot() { return Fp2(root, .zero) }
            // a0 is not a square in Fp: (√(−a0)·u)² = −(−a0) = a0.
            return (-c0).squareRoot().map { Fp2(.zero, $0) }
        }
        guard let normRoot = (c0.squared() + c1.squared()).squareRoot() else { return nil }
        let half = Fp2.halfOne
        for candidate in [(c0 + normRoot) * half, (c0 - normRoot) * half] {
            guard let x0 = candidate.squareRoot(), !x0.isZero else { continue }
            let root = Fp2(x0, c1 * (x0.doubled()).inverse())
            if root.squared() == self { return root }
        }
        return nil
    }

    static let halfOne = Fp(integer: [2]).inverse()

    /// ZCash serialization's sign: the larger of y and −y, comparing c1 first, then c0 when c1 is zero.
    var isLexicographicallyLargest: Bool {
        c1.isZero ? c0.isLexicographicallyLargest : c1.isLexicographicallyLargest
    }

    static func select(_ a: Fp2, _ b: Fp2, _ choice: Bool) -> Fp2 {
        Fp2(Fp.select(a.c0, b.c0, choice), Fp.select(a.c1, b.c1, choice))
    }
}
