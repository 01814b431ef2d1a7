/// Fp12 = Fp6[w]/(w² − v): c0 + c1·w, where the pairing takes its values.
public struct Fp12: Sendable, Equatable {
    var c0: Fp6
    var c1: Fp6

    init(_ c0: Fp6, _ c1: Fp6) {
        self.c0 = c0
        self.c1 = c1
    }

    public static let one = Fp12(.one, .zero)

    static func * (a: Fp12, b: Fp12) -> Fp12 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        return Fp12(t0 + t1.multipliedByV(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    /// (a0 + a1·w)² = a0² + a1²·v + 2·a0·a1·w, with a0² + a1²·v = (a0 + a1)(a0 + a1·v) − a0·a1 − a0·a1·v.
    func squared() -> Fp12 {
        let product = c0 * c1
        let c0 = (self.c0 + self.c1) * (self.c0 + self.c1.multipliedByV()) - product - product.multipliedByV()
        return Fp12(c0, product + product)
    }

    /// A product with a line value ℓ = a + b·v + c·v·w (zero elsewhere), as the Miller loop produces.
    func multipliedByLine(_ a: Fp2, _ b: Fp2, _ c: Fp2) -> Fp12 {
        let t0 = c0 * (a, b)
        let t1 = c1 * c
        let sum = (c0 + c1) * (a, b + c)
        return Fp12(t0 + t1.multipliedByV(), sum - t0 - t1)
    }

    /// x^(p^6), which is the inverse on the cyclotomic subgroup the final exponentiation lands in.
    func conjugate() -> Fp12 { Fp12(c0, -c1) }

    func inverse() -> Fp12 {
        let inverse = (c0.squared() - c1.squared().multipliedByV()).inverse()
        return Fp12(c0 * inverse, -(c1 * inverse))
    }

    /// x ↦ x^(p^power) for power 1...3: the w-odd coefficients are scaled by γ^1, γ^3, γ^5.
    func frobenius(_ power: Int) -> Fp12 {
        let gamma = Frobenius.coefficients[power]
        let even = c0.frobenius(power)
        let odd = power % 2 == 1 ? Fp6(c1.c0.conjugate(), c1.c1.conjugate(), c1.c2.conjugate()) : c1
        return Fp12(even, Fp6(odd.c0 * gamma[1], odd.c1 * gamma[3], odd.c2 * gamma[5]))
    }
}

/// The Frobenius coefficients: with w⁶ = ξ, w^(p^k) = w·γ_k where γ_k = ξ^((p^k − 1)/6), so the coefficient of
/// w^i picks up γ_k^i. γ_1 is computed from its definition; γ_2 = γ_1^(p+1) and γ_3 = γ_1^(p²+p+1).
enum Frobenius {
    static let coefficients: [[Fp2]] = {
        let xi = Fp2(.one, .one)
        let gamma1 = xi.power(WordArithmetic.divideExactly(WordArithmetic.subtract(Fp.modulusWords, 1), by: 6))
        let gamma2 = gamma1 * gamma1.conjugate()
        let gamma3 = gamma2 * gamma1
        return [Fp2.one, gamma1, gamma2, gamma3].map { gamma in
            var powers = [Fp2.one]
            for _ in 1...5 { powers.append(powers[powers.count - 1] * gamma) }
            return powers
        }
    }()
}
