/// Which input a decoding error is about.
public enum BLSPointRole: String, Sendable, Equatable {
    case signature
    case publicKey = "public key"
}

/// Why a BLS signature, public key or secret key was refused. Every case names the input and says what is wrong.
public enum BLSError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongLength(BLSPointRole, expected: Int, actual: Int)
    /// The compression flag (top bit) is clear: only compressed points are accepted.
    case notCompressed(BLSPointRole)
    /// The infinity flag is set but other bits are not zero.
    case malformedInfinity(BLSPointRole)
    /// The encoded point is the point at infinity, which is never a valid signature or key.
    case pointAtInfinity(BLSPointRole)
    /// The x coordinate is not below the field modulus p.
    case coordinateNotInField(BLSPointRole)
    /// No point on the curve has this x coordinate.
    case notOnCurve(BLSPointRole)
    /// The point is on the curve but outside the prime-order subgroup.
    case notInSubgroup(BLSPointRole)
    /// The inputs are well-formed points, but the pairing check fails: the signature is not over this message
    /// under this key.
    case signatureMismatch
    /// A secret key must be 32 bytes, big-endian, between 1 and r − 1.
    case invalidSecretKey

    public var description: String {
        switch self {
        case .wrongLength(let role, let expected, let actual):
            "the \(role.rawValue) must be \(expected) bytes (a compressed point), not \(actual)"
        case .notCompressed(let role):
            "the \(role.rawValue) is not a compressed point (its first bit, the compression flag, is 0)"
        case .malformedInfinity(let role):
            "the \(role.rawValue) has the infinity flag set but other bits are not zero"
        case .pointAtInfinity(let role):
            "the \(role.rawValue) is the point at infinity, which is never valid"
        case .coordinateNotInField(let role):
            "the \(role.rawValue)'s x coordinate is not below the field modulus p"
        case .notOnCurve(let role):
            "the \(role.rawValue) is not a point on the BLS12-381 curve"
        case .notInSubgroup(let role):
            "the \(role.rawValue) is on the curve but not in the prime-order subgroup"
        case .signatureMismatch:
            "the signature does not match this message under this public key (pairing check failed)"
        case .invalidSecretKey:
            "the secret key must be 32 bytes, big-endian, between 1 and r − 1"
        }
    }
}
