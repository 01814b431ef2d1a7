/// E: y² = x³ + 4 over Fp, where signatures live (G1).
enum G1Curve: ShortWeierstrassCurve {
    static let b = Fp(integer: [4])
    static let b3 = Fp(integer: [12])
    /// The generator of G1 (draft-irtf-cfrg-pairing-friendly-curves, BLS12-381).
    static let generator = AffinePoint<G1Curve>(
        x: Fp(hex: "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"),
        y: Fp(hex: "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"))
}

/// E': y² = x³ + 4(1 + u) over Fp2, the sextic twist where public keys live (G2).
enum G2Curve: ShortWeierstrassCurve {
    static let b = Fp2(Fp(integer: [4]), Fp(integer: [4]))
    static let b3 = Fp2(Fp(integer: [12]), Fp(integer: [12]))
    static let generator = AffinePoint<G2Curve>(
        x: Fp2(Fp(hex: "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"),
               Fp(hex: "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e")),
        y: Fp2(Fp(hex: "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"),
               Fp(hex: "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be")))
}

typealias G1Affine = AffinePoint<G1Curve>
typealias G1Projective = ProjectivePoint<G1Curve>
typealias G2Affine = AffinePoint<G2Curve>
typealias G2Projective = ProjectivePoint<G2Curve>

/// Scalars modulo the group order r.
enum Scalar {
    /// r = 0x73eda753…00000001, the order of G1, G2 and the pairing's target group.
    static let orderWords = WordArithmetic.words(
        hex: "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", count: 4)
    /// |x| for the curve parameter x = −0xd201000000010000 (negative).
    static let curveParameter: [UInt64] = [0xd201_0000_0001_0000]
}
