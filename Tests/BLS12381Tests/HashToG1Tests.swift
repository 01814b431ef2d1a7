@testable import BLS12381
import Cryptography
import Testing

/// RFC 9380's own test vectors (RFC9380Vectors.swift): expand_message_xmd, then every intermediate value of
/// hash_to_curve for BLS12-381 G1.
@Suite struct HashToG1Tests {
    @Test(arguments: RFC9380Vectors.expandMessageXMD)
    func expandMessageXMDMatchesTheRFC(_ vector: RFC9380Vectors.Expansion) {
        let output = HashToG1.expandMessageXMD(Array(vector.message.utf8), dst: Array(vector.dst.utf8), length: vector.length)
        #expect(output.map(\.hexString) == vector.uniformBytes)
    }

    @Test func expandMessageXMDRefusesWhatTheRFCAborts() {
        #expect(HashToG1.expandMessageXMD([], dst: [1], length: 255 * 32 + 1) == nil)
        #expect(HashToG1.expandMessageXMD([], dst: [1], length: 255 * 32)?.count == 255 * 32)
    }

    @Test(arguments: RFC9380Vectors.hashToG1)
    func hashToG1MatchesTheRFC(_ vector: RFC9380Vectors.HashToG1) {
        let dst = Array(RFC9380Vectors.hashToG1DST.utf8)
        let (u0, u1) = HashToG1.hashToField(Array(vector.message.utf8), dst: dst)
        #expect(u0 == Fp(hex: vector.u[0]))
        #expect(u1 == Fp(hex: vector.u[1]))
        let q0 = HashToG1.mapToCurve(u0).affine
        let q1 = HashToG1.mapToCurve(u1).affine
        #expect(q0 == G1Affine(x: Fp(hex: vector.q0.x), y: Fp(hex: vector.q0.y)))
        #expect(q1 == G1Affine(x: Fp(hex: vector.q1.x), y: Fp(hex: vector.q1.y)))
        let p = HashToG1.hash(Array(vector.message.utf8), dst: dst).affine
        #expect(p == G1Affine(x: Fp(hex: vector.p.x), y: Fp(hex: vector.p.y)))
        #expect(p.isOnCurve && p.projective.isInPrimeOrderSubgroup)
    }
}
