/// BLS signatures with public keys on G2 and signatures on G1 (the "minimal-signature-size" variant drand's
/// quicknet uses): signature = sk·H(message), checked by e(signature, g2) = e(H(message), pk).
public enum BLS {
    /// The domain separation tag of the basic scheme with signatures on G1 (IETF BLS draft, also drand quicknet).
    public static let signatureOnG1DST = Array("BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_".utf8)

    /// Throws unless `signature` (48 bytes, compressed G1) signs `message` under `publicKey`.
    /// Decodes with on-curve and subgroup checks, refuses the point at infinity, then checks
    /// e(signature, −g2)·e(H(message), pk) = 1 with one shared Miller loop.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: BLSPublicKey,
                              dst: [UInt8] = signatureOnG1DST) throws(BLSError) {
        let point = try PointEncoding.decodeG1(signature, as: .signature)
        guard !point.isIdentity else { throw .pointAtInfinity(.signature) }
        let hashed = HashToG1.hash(message, dst: dst).affine
        let product = Pairing.product([(point, -G2Curve.generator), (hashed, publicKey.point)])
        guard product == .one else { throw .signatureMismatch }
    }
}

/// A public key: a point of G2, decoded from its 96-byte compressed form with on-curve and subgroup checks.
public struct BLSPublicKey: Sendable, Equatable {
    let point: G2Affine

    public init(compressed bytes: [UInt8]) throws(BLSError) {
        let point = try PointEncoding.decodeG2(bytes, as: .publicKey)
        guard !point.isIdentity else { throw .pointAtInfinity(.publicKey) }
        self.point = point
    }

    init(point: G2Affine) { self.point = point }

    /// The 96-byte compressed encoding.
    public var compressed: [UInt8] { PointEncoding.encode(point) }
}

/// A secret key (a scalar 1 ≤ sk < r) for signing: used by tests and test relays to produce real signatures.
/// Scalar multiplications with it run a fixed number of iterations with masked selects (constant-time).
public struct BLSSecretKey: Sendable {
    private let scalar: [UInt64]

    /// 32 big-endian bytes, between 1 and r − 1.
    public init(bytes: [UInt8]) throws(BLSError) {
        guard bytes.count == 32 else { throw .invalidSecretKey }
        let words = WordArithmetic.words(bytes: bytes[...], count: 4)
        guard words.contains(where: { $0 != 0 }), WordArithmetic.compare(words, Scalar.orderWords) < 0 else {
            throw .invalidSecretKey
        }
        scalar = words
    }

    public var publicKey: BLSPublicKey {
        BLSPublicKey(point: G2Curve.generator.projective.multiplied(bySecret: scalar, bitCount: 256).affine)
    }

    /// The 48-byte compressed signature sk·H(message).
    public func sign(_ message: [UInt8], dst: [UInt8] = BLS.signatureOnG1DST) -> [UInt8] {
        let hashed = HashToG1.hash(message, dst: dst)
        return PointEncoding.encode(hashed.multiplied(bySecret: scalar, bitCount: 256).affine)
    }
}
