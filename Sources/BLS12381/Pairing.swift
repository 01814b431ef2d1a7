/// The optimal ate pairing on BLS12-381: a Miller loop over the bits of |x| followed by the final exponentiation.
enum Pairing {
    /// ∏ e(P_i, Q_i), computed with one shared Miller loop and one final exponentiation. Identities contribute 1.
    static func product(_ pairs: [(G1Affine, G2Affine)]) -> Fp12 {
        finalExponentiation(millerLoop(pairs.filter { !$0.0.isIdentity && !$0.1.isIdentity }))
    }

    /// f = ∏ f_{|x|,Q_i}(P_i), then conjugated because x is negative.
    ///
    /// T runs in affine coordinates on the twist E'. A line through points of E' with slope λ, untwisted by
    /// (x', y') ↦ (x'/w², y'/w³) and evaluated at P = (xP, yP), is yP − λ·xP·w⁻¹ + (λ·xT − yT)·w⁻³; times w³
    /// (which lies in a subfield and vanishes in the final exponentiation) it is (λ·xT − yT) − λ·xP·v + yP·v·w.
    static func millerLoop(_ pairs: [(G1Affine, G2Affine)]) -> Fp12 {
        var f = Fp12.one
        var points = pairs.map(\.1)
        let bits = WordArithmetic.bits(Scalar.curveParameter)
        for bit in bits.dropFirst() {
            f = f.squared()
            for index in pairs.indices {
                let t = points[index]
                let slope = (t.x.squared() * threeInFp2) * t.y.doubled().inverse()
                f = line(f, slope: slope, through: t, at: pairs[index].0)
                let x3 = slope.squared() - t.x.doubled()
                points[index] = G2Affine(x: x3, y: slope * (t.x - x3) - t.y)
            }
            if bit {
                for index in pairs.indices {
                    let t = points[index]
                    let q = pairs[index].1
                    let slope = (q.y - t.y) * (q.x - t.x).inverse()
                    f = line(f, slope: slope, through: t, at: pairs[index].0)
                    let x3 = slope.squared() - t.x - q.x
                    points[index] = G2Affine(x: x3, y: slope * (t.x - x3) - t.y)
                }
            }
        }
        return f.conjugate()
    }

    private static let threeInFp2 = Fp2(Fp(integer: [3]), .zero)

    @inline(__always)
    private static func line(_ f: Fp12, slope: Fp2, through t: G2Affine, at p: G1Affine) -> Fp12 {
        f.multipliedByLine(slope * t.x - t.y, -(slope * p.x), Fp2(p.y, .zero))
    }

    /// f^(3·(p¹² − 1)/r): the easy part f^((p⁶ − 1)(p² + 1)), then the hard part through
    /// 3·(p⁴ − p² + 1)/r = (x − 1)²·(x + p)·(x² + p² − 1) + 3 (Hayashida, Hayasaka and Teruya, eprint 2020/875).
    /// The factor 3 is coprime to r, so the result is 1 exactly when the plain pairing is.
    static func finalExponentiation(_ f: Fp12) -> Fp12 {
        var easy = f.conjugate() * f.inverse()
        easy = easy.frobenius(2) * easy
        // From here on the value is in the cyclotomic subgroup, where the inverse is the conjugate.
        var a = powerX(easy) * easy.conjugate()
        a = powerX(a) * a.conjugate()
        let b = powerX(a) * a.frobenius(1)
        let c = powerX(powerX(b)) * b.frobenius(2) * b.conjugate()
        return c * easy.squared() * easy
    }

    /// g^x for the negative curve parameter x: g^|x|, conjugated (valid on the cyclotomic subgroup).
    private static func powerX(_ g: Fp12) -> Fp12 {
        var result = g
        for bit in WordArithmetic.bits(Scalar.curveParameter).dropFirst() {
            result = result.squared()
            if bit { result = result * g }
        }
        return result.conjugate()
    }
}
