import Cryptography

/// Hashing to G1 per RFC 9380, suite BLS12381G1_XMD:SHA-256_SSWU_RO_ (section 8.8.1): expand_message_xmd with
/// SHA-256, hash_to_field with L = 64, the simplified SWU map on the 11-isogenous curve E', the 11-isogeny to E,
/// and clear_cofactor by h_eff. Messages and hashes are public, so this code is not constant-time.
enum HashToG1 {
    /// RFC 9380 section 5.3.1. Fails (nil) where the RFC aborts: more than 255 blocks or 65535 bytes.
    static func expandMessageXMD(_ message: [UInt8], dst: [UInt8], length: Int) -> [UInt8]? {
        let blockCount = (length + 31) / 32
        guard blockCount <= 255, length <= 65535, length >= 0 else { return nil }
        // A DST over 255 bytes is replaced by the hash of "H2C-OVERSIZE-DST-" ‖ DST (section 5.3.3).
        let tag = dst.count > 255 ? Digest.sha256(Array("H2C-OVERSIZE-DST-".utf8) + dst) : dst
        let dstPrime = tag + [UInt8(tag.count)]
        let zeroPad = [UInt8](repeating: 0, count: 64)
        let lengthBytes = [UInt8(length >> 8), UInt8(length & 0xff)]
        let b0 = Digest.sha256(zeroPad + message + lengthBytes + [0] + dstPrime)
        var block = Digest.sha256(b0 + [1] + dstPrime)
        var output = block
        if blockCount > 1 {
            for index in 2...blockCount {
                let mixed = zip(b0, block).map { $0 ^ $1 }
                block = Digest.sha256(mixed + [UInt8(index)] + dstPrime)
                output += block
            }
        }
        return Array(output.prefix(length))
    }

    /// hash_to_field(msg, 2) for Fp: two 64-byte big-endian integers reduced mod p.
    static func hashToField(_ message: [UInt8], dst: [UInt8]) -> (Fp, Fp) {
        // 128 bytes and a DST of any length are always within the limits, so this cannot fail.
        let bytes = expandMessageXMD(message, dst: dst, length: 128)!
        return (fieldElement(reducing: bytes[0..<64]), fieldElement(reducing: bytes[64..<128]))
    }

    /// A 64-byte big-endian integer mod p: high·2^384 + low, with high the first 16 bytes.
    static func fieldElement(reducing bytes: ArraySlice<UInt8>) -> Fp {
        let high = Fp(reducing: WordArithmetic.words(bytes: bytes.prefix(16), count: 6))
        let low = Fp(reducing: WordArithmetic.words(bytes: bytes.suffix(48), count: 6))
        return high * twoTo384 + low
    }

    /// 2^384 mod p as a field element: the Montgomery limbs R² mod p stand for R = 2^384.
    private static let twoTo384 = Fp.rSquared

    /// hash_to_curve: the G1 point for `message` under domain separation tag `dst`.
    static func hash(_ message: [UInt8], dst: [UInt8]) -> G1Projective {
        let (u0, u1) = hashToField(message, dst: dst)
        let sum = mapToCurve(u0) + mapToCurve(u1)
        return clearCofactor(sum)
    }

    /// map_to_curve: simplified SWU onto E' (section 6.6.2), then the 11-isogeny onto E.
    static func mapToCurve(_ u: Fp) -> G1Projective {
        let (x, y) = simplifiedSWU(u)
        return isogeny(x: x, y: y)
    }

    /// clear_cofactor(P) = h_eff·P with h_eff = 0xd201000000010001 (section 8.8.1).
    static func clearCofactor(_ point: G1Projective) -> G1Projective {
        point.multiplied(byPublic: [0xd201_0000_0001_0001])
    }

    /// E': y² = x³ + A'x + B' and Z = 11 (section 8.8.1).
    static let isogenousA = Fp(hex: "144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d")
    static let isogenousB = Fp(hex: "12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0")
    static let z = Fp(integer: [11])

    /// The simplified SWU map, as the steps of section 6.6.2 state it.
    static func simplifiedSWU(_ u: Fp) -> (Fp, Fp) {
        let a = isogenousA
        let b = isogenousB
        let zu2 = z * u.squared()
        let tv1 = (zu2.squared() + zu2).inverse() // inv0: 0 maps to 0
        var x1 = (-b * a.inverse()) * (Fp.one + tv1)
        if tv1.isZero { x1 = b * (z * a).inverse() }
        let gx1 = x1.squared() * x1 + a * x1 + b
        var x: Fp
        var y: Fp
        if let root = gx1.squareRoot() {
            (x, y) = (x1, root)
        } else {
            let x2 = zu2 * x1
            let gx2 = x2.squared() * x2 + a * x2 + b
            // When gx1 is not a square, gx2 = Z³u⁶·gx1 is one (Z is not a square), so this root exists.
            (x, y) = (x2, gx2.squareRoot()!)
        }
        if u.isOdd != y.isOdd { y = -y }
        return (x, y)
    }

    /// The 11-isogeny E' → E (Appendix E.2), in projective form so that it needs no inversion:
    /// X = x_num·y_den, Y = y'·y_num·x_den, Z = x_den·y_den. A zero denominator maps to the identity.
    static func isogeny(x: Fp, y: Fp) -> G1Projective {
        let xNumerator = evaluate(IsogenyConstants.xNumerator, at: x)
        let xDenominator = evaluate(IsogenyConstants.xDenominator, at: x)
        let yNumerator = evaluate(IsogenyConstants.yNumerator, at: x)
        let yDenominator = evaluate(IsogenyConstants.yDenominator, at: x)
        let zCoordinate = xDenominator * yDenominator
        guard !zCoordinate.isZero else { return .identity }
        return G1Projective(x: xNumerator * yDenominator, y: y * yNumerator * xDenominator, z: zCoordinate)
    }

    /// Horner's rule over coefficients listed from the constant term up.
    private static func evaluate(_ coefficients: [Fp], at x: Fp) -> Fp {
        var result = Fp.zero
        for coefficient in coefficients.reversed() { result = result * x + coefficient }
        return result
    }
}
