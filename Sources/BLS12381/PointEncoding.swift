/// The compressed point encodings of ZCash's BLS12-381 serialization (also the IETF BLS signature drafts and drand):
/// x big-endian (for G2 the c1 half first, then c0), with three flag bits in the first byte:
/// 0x80 compressed, 0x40 the point at infinity (every other bit zero), 0x20 y is the larger of y and −y.
enum PointEncoding {
    static let compressedFlag: UInt8 = 0x80
    static let infinityFlag: UInt8 = 0x40
    static let signFlag: UInt8 = 0x20

    static func decodeG1(_ bytes: [UInt8], as role: BLSPointRole) throws(BLSError) -> G1Affine {
        let x: Fp? = try decodeFlags(bytes, length: 48, role: role)
        guard let x else { return .identity }
        return try point(x: x, largest: bytes[0] & signFlag != 0, role: role)
    }

    static func decodeG2(_ bytes: [UInt8], as role: BLSPointRole) throws(BLSError) -> G2Affine {
        let c1: Fp? = try decodeFlags(bytes, length: 96, role: role)
        guard let c1 else { return .identity }
        guard let c0 = Fp(bytes: bytes[48..<96]) else { throw .coordinateNotInField(role) }
        return try point(x: Fp2(c0, c1), largest: bytes[0] & signFlag != 0, role: role)
    }

    static func encode(_ point: G1Affine) -> [UInt8] {
        guard !point.isIdentity else { return [compressedFlag | infinityFlag] + [UInt8](repeating: 0, count: 47) }
        var bytes = point.x.bytes
        bytes[0] |= compressedFlag | (point.y.isLexicographicallyLargest ? signFlag : 0)
        return bytes
    }

    static func encode(_ point: G2Affine) -> [UInt8] {
        guard !point.isIdentity else { return [compressedFlag | infinityFlag] + [UInt8](repeating: 0, count: 95) }
        var bytes = point.x.c1.bytes + point.x.c0.bytes
        bytes[0] |= compressedFlag | (point.y.isLexicographicallyLargest ? signFlag : 0)
        return bytes
    }

    /// Checks the length and flags; returns the first 48-byte field element with the flags cleared, or nil for
    /// a well-formed point at infinity.
    private static func decodeFlags(_ bytes: [UInt8], length: Int, role: BLSPointRole) throws(BLSError) -> Fp? {
        guard bytes.count == length else { throw .wrongLength(role, expected: length, actual: bytes.count) }
        guard bytes[0] & compressedFlag != 0 else { throw .notCompressed(role) }
        if bytes[0] & infinityFlag != 0 {
            let rest = bytes.dropFirst().reduce(0) { $0 | $1 }
            guard bytes[0] == compressedFlag | infinityFlag, rest == 0 else { throw .malformedInfinity(role) }
            return nil
        }
        var first = Array(bytes[0..<48])
        first[0] &= 0x1f
        guard let element = Fp(bytes: first[...]) else { throw .coordinateNotInField(role) }
        return element
    }

    private static func point<Curve>(x: Curve.Field, largest: Bool, role: BLSPointRole) throws(BLSError) -> AffinePoint<Curve>
    where Curve.Field: SignedCoordinate {
        guard let y = AffinePoint<Curve>.ys(forX: x) else { throw .notOnCurve(role) }
        let chosen = y.isLexicographicallyLargest == largest ? y : -y
        let point = AffinePoint<Curve>(x: x, y: chosen)
        guard point.projective.isInPrimeOrderSubgroup else { throw .notInSubgroup(role) }
        return point
    }
}

/// A coordinate field with the serialization's notion of the larger square root.
protocol SignedCoordinate: CoordinateField {
    var isLexicographicallyLargest: Bool { get }
}

extension Fp: SignedCoordinate {}
extension Fp2: SignedCoordinate {}
