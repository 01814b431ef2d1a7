import BLS12381
import Cryptography
import Foundation

/// One round of the drand quicknet beacon, as `/{chain-hash}/public/{round}` serves it:
/// `{"round": R, "randomness": "<64 hex>", "signature": "<96 hex>"}`.
public struct BeaconRound: Sendable, Hashable, Codable {
    public var round: UInt64
    /// Hex of SHA-256(signature).
    public var randomness: String
    /// Hex of the 48-byte BLS signature on G1.
    public var signature: String

    public init(round: UInt64, randomness: String, signature: String) {
        self.round = round
        self.randomness = randomness
        self.signature = signature
    }

    /// A round whose randomness is computed from its signature (what a fake relay serves).
    public init(round: UInt64, signature: [UInt8]) {
        self.init(round: round, randomness: Digest.sha256(signature).hexString, signature: signature.hexString)
    }

    /// Parses a relay's JSON answer. Extra fields (e.g. `previous_signature` on chained networks) are ignored.
    public static func parse(json: Data) throws(BeaconError) -> BeaconRound {
        struct Wire: Decodable {
            var round: UInt64
            var randomness: String
            var signature: String
        }
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: json)
            return BeaconRound(round: wire.round, randomness: wire.randomness.lowercased(), signature: wire.signature.lowercased())
        } catch {
            let preview = String(decoding: json.prefix(120), as: UTF8.self)
            throw .malformed("the drand relay's answer is not a beacon round ({round, randomness, signature}): \(preview)")
        }
    }

    /// The signature's bytes, when it is hexadecimal.
    public var signatureBytes: [UInt8]? { [UInt8](hexString: signature) }
    /// The randomness bytes, when it is hexadecimal.
    public var randomnessBytes: [UInt8]? { [UInt8](hexString: randomness) }

    /// Checks the round against the committed one, the signature's and randomness' shapes, and
    /// randomness = SHA-256(signature); with a public key, also the BLS signature (`verifySignature`).
    public func validate(expectedRound: UInt64, publicKey: DrandPublicKey? = nil) throws(BeaconError) {
        guard round == expectedRound else { throw .wrongRound(expected: expectedRound, got: round) }
        guard let signatureBytes, signatureBytes.count == DrandQuicknet.signatureLength else {
            throw .malformed("round \(round): the signature must be \(DrandQuicknet.signatureLength) bytes of hex (a compressed G1 point), got '\(signature.prefix(120))'")
        }
        guard let randomnessBytes, randomnessBytes.count == 32 else {
            throw .malformed("round \(round): the randomness must be 32 bytes of hex, got '\(randomness.prefix(80))'")
        }
        let expected = Digest.sha256(signatureBytes)
        guard expected == randomnessBytes else {
            throw .randomnessMismatch(round: round, expected: expected.hexString, got: randomness)
        }
        if let publicKey { try verifySignature(publicKey: publicKey) }
    }

    /// The message quicknet signs for a round: SHA-256 of the round number as 8 big-endian bytes.
    public static func signedMessage(round: UInt64) -> [UInt8] {
        Digest.sha256((0..<8).map { UInt8(truncatingIfNeeded: round >> UInt64(56 - 8 * $0)) })
    }

    /// Checks the BLS signature (scheme bls-unchained-g1-rfc9380): a G1 point over `signedMessage(round:)`,
    /// hashed to G1 with DST BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_, paired against `publicKey` on G2.
    public func verifySignature(publicKey: DrandPublicKey) throws(BeaconError) {
        guard let signatureBytes else {
            throw .malformed("round \(round): the signature is not hexadecimal: '\(signature.prefix(120))'")
        }
        do {
            try BLS.verify(signature: signatureBytes, message: Self.signedMessage(round: round), publicKey: publicKey.key)
        } catch {
            throw .signatureInvalid(round: round, reason: error, publicKey: publicKey.description)
        }
    }
}

/// Why a beacon round was refused.
public enum BeaconError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case wrongRound(expected: UInt64, got: UInt64)
    case randomnessMismatch(round: UInt64, expected: String, got: String)
    /// The BLS signature does not check out under the drand public key.
    case signatureInvalid(round: UInt64, reason: BLSError, publicKey: String)

    public var description: String {
        switch self {
        case .malformed(let message): message
        case .wrongRound(let expected, let got):
            "the beacon answered round \(got), but the contest committed to round \(expected)"
        case .randomnessMismatch(let round, let expected, let got):
            "round \(round): randomness \(got) is not SHA-256(signature) = \(expected); the relay's answer is corrupt or forged"
        case .signatureInvalid(let round, let reason, let publicKey):
            "round \(round): the BLS signature is not valid under \(publicKey): \(reason); the relay's answer is forged or corrupt (or DRAND_PUBLIC_KEY is not this chain's key)"
        }
    }
}
