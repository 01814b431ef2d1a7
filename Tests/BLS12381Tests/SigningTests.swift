@testable import BLS12381
import Cryptography
import Testing

@Suite struct SigningTests {
    static let secret = [UInt8](repeating: 0x2a, count: 32)

    /// Expected values computed with py_ecc (an independent Python implementation): compress_G2(sk·G2) and
    /// compress_G1(sk·hash_to_G1(SHA-256(u64be(7)), quicknet DST)) for sk = 0x2a2a…2a.
    @Test func signingMatchesAnIndependentImplementation() throws {
        let key = try BLSSecretKey(bytes: Self.secret)
        #expect(key.publicKey.compressed.hexString
            == "9772c16106e9c70b2073dfe17989225dd10f3adb675365fc6d833587ad4cbd3ae692ad1e20679003f676b0b089e83feb058b3e8b9fc9552e30787cb4a541a1c3bf67a02e91fc648b2c19f4bb333e14c5c73b9bfbc5ec56dadabb07ff15d45124")
        let message = QuicknetSignatureTests.message(round: 7)
        let signature = key.sign(message)
        #expect(signature.hexString
            == "8f350c48af41d4ae72a1c0a792cb3fe49cee5cd31966f2b0cf638d2a780608799921943fe28c104058f849ee038335dc")
        try BLS.verify(signature: signature, message: message, publicKey: key.publicKey)
    }

    /// The G2 generator's compressed form, as in the ZCash serialization spec: sk = 1 gives it.
    @Test func secretKeyOneGivesTheGenerator() throws {
        var one = [UInt8](repeating: 0, count: 32)
        one[31] = 1
        #expect(try BLSSecretKey(bytes: one).publicKey.compressed.hexString
            == "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8")
    }

    @Test func aRandomKeySignsWhatItsPublicKeyVerifiesAndNothingElse() throws {
        let key = try BLSSecretKey(bytes: try Self.randomSecret())
        let other = try BLSSecretKey(bytes: try Self.randomSecret())
        let signature = key.sign(Array("round 9".utf8))
        try BLS.verify(signature: signature, message: Array("round 9".utf8), publicKey: key.publicKey)
        #expect(throws: BLSError.signatureMismatch) {
            try BLS.verify(signature: signature, message: Array("round 9".utf8), publicKey: other.publicKey)
        }
    }

    @Test func theConstantTimeLadderAgreesWithDoubleAndAdd() {
        let scalar: [UInt64] = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0x1111_2222_3333_4444, 0x0555_6666_7777_8888]
        let g1 = G1Curve.generator.projective
        #expect(g1.multiplied(bySecret: scalar, bitCount: 256) == g1.multiplied(byPublic: scalar))
        let g2 = G2Curve.generator.projective
        #expect(g2.multiplied(bySecret: scalar, bitCount: 256) == g2.multiplied(byPublic: scalar))
    }

    @Test func secretKeysOutOfRangeAreRefused() {
        #expect(throws: BLSError.invalidSecretKey) { try BLSSecretKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: BLSError.invalidSecretKey) { try BLSSecretKey(bytes: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: BLSError.invalidSecretKey) { try BLSSecretKey(bytes: [1]) }
        let order = WordArithmetic.bytes(words: Scalar.orderWords)
        #expect(throws: BLSError.invalidSecretKey) { try BLSSecretKey(bytes: order) }
    }

    static func randomSecret() throws -> [UInt8] {
        var bytes = try SecureRandom.bytes(32)
        bytes[0] &= 0x3f // below r, whose top byte is 0x73
        return bytes
    }
}

@Suite struct ArithmeticTests {
    @Test func pairingIsBilinearAndNonDegenerate() {
        let g1 = G1Curve.generator
        let g2 = G2Curve.generator
        let left = Pairing.product([(g1.projective.multiplied(byPublic: [6]).affine, g2)])
        let right = Pairing.product([(g1.projective.multiplied(byPublic: [2]).affine, g2.projective.multiplied(byPublic: [3]).affine)])
        #expect(left == right)
        #expect(left != .one)
        #expect(Pairing.product([(g1, g2), (-g1, g2)]) == .one)
    }

    @Test func fieldInversesAndRoots() throws {
        let a = Fp(hex: "0ba14bd907ad64a016293ee7c2d276b8eae71f25a4b941eece7b0d89f17f75cb3ae5438a614fb61d6835ad59f29c564f")
        #expect(a * a.inverse() == .one)
        #expect(try #require(a.squared().squareRoot()).squared() == a.squared())
        let b = Fp2(a, a + .one)
        #expect(b * b.inverse() == .one)
        #expect(try #require(b.squared().squareRoot()).squared() == b.squared())
        #expect(Fp.zero.inverse() == .zero)
        #expect((Fp.zero - .one) + .one == .zero)
    }

    @Test func frobeniusComposes() {
        let f = Pairing.millerLoop([(G1Curve.generator, G2Curve.generator)])
        #expect(f.frobenius(1).frobenius(1) == f.frobenius(2))
        #expect(f.frobenius(2).frobenius(1) == f.frobenius(3))
        #expect(f * f.inverse() == .one)
    }
}
