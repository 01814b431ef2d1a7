@testable import BLS12381
import Cryptography
import Testing

/// Real quicknet rounds verify; the same rounds altered in every way the issue names fail, each with its reason.
@Suite struct QuicknetSignatureTests {
    let publicKey: BLSPublicKey

    init() throws {
        publicKey = try BLSPublicKey(compressed: [UInt8](hexString: QuicknetVectors.publicKey)!)
    }

    /// Quicknet's message: SHA-256 of the round as an 8-byte big-endian integer.
    static func message(round: UInt64) -> [UInt8] {
        Digest.sha256((0..<8).map { UInt8(truncatingIfNeeded: round >> UInt64(56 - 8 * $0)) })
    }

    func verify(_ signature: [UInt8], round: UInt64) throws(BLSError) {
        try BLS.verify(signature: signature, message: Self.message(round: round), publicKey: publicKey)
    }

    @Test(arguments: QuicknetVectors.rounds)
    func realRoundsVerify(_ vector: QuicknetVectors.Round) throws {
        let signature = try #require([UInt8](hexString: vector.signature))
        try verify(signature, round: vector.round)
        if !vector.randomness.isEmpty { #expect(Digest.sha256(signature).hexString == vector.randomness) }
    }

    @Test func theDecodedKeyEncodesBackToTheSameBytes() {
        #expect(publicKey.compressed.hexString == QuicknetVectors.publicKey)
    }

    @Test(arguments: [0, 1, 8 * 20 + 3, 8 * 47 + 7])
    func aFlippedBitFails(_ bit: Int) throws {
        var signature = try #require([UInt8](hexString: QuicknetVectors.rounds[1].signature))
        signature[bit / 8] ^= 0x80 >> UInt8(bit % 8)
        #expect(throws: BLSError.self) { try verify(signature, round: 2) }
    }

    @Test func aFlippedBitInTheBodyIsAMismatchOrNotAPoint() throws {
        var signature = try #require([UInt8](hexString: QuicknetVectors.rounds[1].signature))
        signature[47] ^= 0x01
        do {
            try verify(signature, round: 2)
            Issue.record("a tampered signature verified")
        } catch {
            #expect([BLSError.signatureMismatch, .notOnCurve(.signature), .notInSubgroup(.signature)].contains(error))
        }
    }

    @Test func theSignBitFlippedIsTheNegatedPointAndFails() throws {
        var signature = try #require([UInt8](hexString: QuicknetVectors.rounds[1].signature))
        signature[0] ^= 0x20
        #expect(throws: BLSError.signatureMismatch) { try verify(signature, round: 2) }
    }

    @Test func theWrongRoundFails() throws {
        let signature = try #require([UInt8](hexString: QuicknetVectors.rounds[1].signature))
        #expect(throws: BLSError.signatureMismatch) { try verify(signature, round: 3) }
        #expect(throws: BLSError.signatureMismatch) { try verify(signature, round: 1) }
    }

    /// x = 1: 1 + 4 = 5 is not a square mod p (checked with py_ecc), so no point has this x.
    @Test func aSignatureNotOnTheCurveFails() {
        let signature = [0x80] + [UInt8](repeating: 0, count: 46) + [0x01]
        #expect(throws: BLSError.notOnCurve(.signature)) { try verify(signature, round: 2) }
    }

    /// x = 0: (0, 2) is on y² = x³ + 4 but not in G1 (r·P ≠ O, checked with py_ecc).
    @Test func aSignatureOutsideTheSubgroupFails() {
        let signature = [0x80] + [UInt8](repeating: 0, count: 47)
        #expect(throws: BLSError.notInSubgroup(.signature)) { try verify(signature, round: 2) }
    }

    @Test func malformedEncodingsFailWithTheirReason() throws {
        let good = try #require([UInt8](hexString: QuicknetVectors.rounds[1].signature))
        #expect(throws: BLSError.wrongLength(.signature, expected: 48, actual: 47)) { try verify(Array(good.dropLast()), round: 2) }
        var uncompressed = good
        uncompressed[0] &= 0x7f
        #expect(throws: BLSError.notCompressed(.signature)) { try verify(uncompressed, round: 2) }
        let infinity = [0xc0] + [UInt8](repeating: 0, count: 47)
        #expect(throws: BLSError.pointAtInfinity(.signature)) { try verify(infinity, round: 2) }
        var dirtyInfinity = infinity
        dirtyInfinity[10] = 1
        #expect(throws: BLSError.malformedInfinity(.signature)) { try verify(dirtyInfinity, round: 2) }
        // x = p itself is not a field element.
        var tooLarge = Fp.modulusWords.reversed().flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * $0)) } }
        tooLarge[0] |= 0x80
        #expect(throws: BLSError.coordinateNotInField(.signature)) { try verify(tooLarge, round: 2) }
    }

    @Test func malformedPublicKeysFailWithTheirReason() throws {
        let good = try #require([UInt8](hexString: QuicknetVectors.publicKey))
        #expect(throws: BLSError.wrongLength(.publicKey, expected: 96, actual: 48)) { try BLSPublicKey(compressed: Array(good.prefix(48))) }
        #expect(throws: BLSError.pointAtInfinity(.publicKey)) { try BLSPublicKey(compressed: [0xc0] + [UInt8](repeating: 0, count: 95)) }
        var flipped = good
        flipped[95] ^= 0x01
        #expect(throws: BLSError.self) { try BLSPublicKey(compressed: flipped) }
    }
}
