import Domain
import Testing
import TestSupport

/// BeaconRound's BLS check: real quicknet rounds under quicknet's key, the test relay's rounds under its key.
@Suite struct BeaconSignatureTests {
    @Test func realRoundsVerifyUnderTheQuicknetKey() throws {
        try FakeDrandRelay.quicknetRound2.validate(expectedRound: 2, publicKey: .quicknet)
        try FakeDrandRelay.quicknetRound3.validate(expectedRound: 3, publicKey: .quicknet)
        #expect(DrandPublicKey.quicknet.hex == DrandQuicknet.publicKey)
    }

    @Test func theTestRelaysRoundsVerifyUnderItsKeyOnly() throws {
        let beacon = FakeDrandRelay.beacon(round: 1234)
        try beacon.validate(expectedRound: 1234, publicKey: FakeDrandRelay.publicKey)
        #expect(throws: BeaconError.self) { try beacon.validate(expectedRound: 1234, publicKey: .quicknet) }
        #expect(try DrandPublicKey(hex: FakeDrandRelay.publicKeyHex) == FakeDrandRelay.publicKey)
    }

    @Test func anotherRoundsSignatureIsRefusedWithTheReason() {
        let other = FakeDrandRelay.quicknetRound3
        let forged = BeaconRound(round: 2, randomness: other.randomness, signature: other.signature)
        #expect {
            try forged.validate(expectedRound: 2, publicKey: .quicknet)
        } throws: { error in
            guard case .signatureInvalid(2, .signatureMismatch, _)? = error as? BeaconError else { return false }
            return "\(error)".contains("BLS signature") && "\(error)".contains("DRAND_PUBLIC_KEY")
        }
    }

    @Test func publicKeysThatAreNotKeysAreRefused() {
        #expect(throws: DrandPublicKeyError.self) { try DrandPublicKey(hex: "not hex") }
        #expect(throws: DrandPublicKeyError.invalid(.wrongLength(.publicKey, expected: 96, actual: 2))) { try DrandPublicKey(hex: "abcd") }
        #expect(throws: DrandPublicKeyError.self) { try DrandPublicKey(hex: String(DrandQuicknet.publicKey.dropLast(2)) + "00") }
    }
}
