/// Fp6 = Fp2[v]/(v³ − ξ), ξ = 1 + u: c0 + c1·v + c2·v².
struct Fp6: Sendable, Equatable {
    var c0: Fp2
    var c1: Fp2
    var c2: Fp2

    init(_ c0: Fp2, _ c1: Fp2, _ c2: Fp2) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    static let zero = Fp6(.zero, .zero, .zero)
    static let one = Fp6(.one, .zero, .zero)

    @inline(__always)
    static func + (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }
    @inline(__always)
    static func - (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }
    @inline(__always)
    static prefix func - (a: Fp6) -> Fp6 { Fp6(-a.c0, -a.c1, -a.c2) }

    /// Karatsuba-style: six Fp2 multiplications.
    static func * (a: Fp6, b: Fp6) -> Fp6 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        let t2 = a.c2 * b.c2
        let c0 = t0 + ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).multipliedByNonResidue()
        let c1 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.multipliedByNonResidue()
        let c2 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1
        return Fp6(c0, c1, c2)
    }

    /// A product with b = b0 + b1·v (b2 = 0), as line functions have.
    static func * (a: Fp6, b: (Fp2, Fp2)) -> Fp6 {
        let t0 = a.c0 * b.0
        let t1 = a.c1 * b.1
        let c0 = t0 + (a.c2 * b.1).multipliedByNonResidue()
        let c1 = (a.c0 + a.c1) * (b.0 + b.1) - t0 - t1
        let c2 = a.c2 * b.0 + t1
        return Fp6(c0, c1, c2)
    }

    /// A product with b1·v.
    static func * (a: Fp6, b1: Fp2) -> Fp6 {
        Fp6((a.c2 * b1).multipliedByNonResidue(), a.c0 * b1, a.c1 * b1)
    }

    func squared() -> Fp6 { self * self }

    /// Multiplication by v: (c0, c1, c2)·v = (ξ·c2, c0, c1).
    func multipliedByV() -> Fp6 { Fp6(c2.multipliedByNonResidue(), c0, c1) }

    func inverse() -> Fp6 {
        let a = c0.squared() - (c1 * c2).multipliedByNonResidue()
        let b = c2.squared().multipliedByNonResidue() - c0 * c1
        let c = c1.squared() - c0 * c2
        let determinant = c0 * a + (c2 * b + c1 * c).multipliedByNonResidue()
        let inverse = determinant.inverse()
        return Fp6(a * inverse, b * inverse, c * inverse)
    }

    /// x ↦ x^(p^power): conjugate each coefficient `power` times, scale v^i by γ^(2i) (Frobenius.swift).
    func frobenius(_ power: Int) -> Fp6 {
        let conjugated = power % 2 == 1 ? Fp6(c0.conjugate(), c1.conjugate(), c2.conjugate()) : self
        let gamma = Frobenius.coefficients[power]
        return Fp6(conjugated.c0, conjugated.c1 * gamma[2], conjugated.c2 * gamma[4])
    }
}
