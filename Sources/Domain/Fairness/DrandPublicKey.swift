import BLS12381
import Cryptography
import Foundation

/// The drand group public key (a G2 point, 96 bytes compressed) that beacon signatures are checked against.
/// Quicknet's by default; `DRAND_PUBLIC_KEY` replaces it for a test chain.
public struct DrandPublicKey: Sendable, Equatable, CustomStringConvertible {
    public let key: BLSPublicKey

    public init(key: BLSPublicKey) { self.key = key }

    /// Hex of the 96-byte compressed point (an optional 0x prefix), decoded with on-curve and subgroup checks.
    public init(hex: String) throws(DrandPublicKeyError) {
        let trimmed = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        let digits = trimmed.hasPrefix("0x") ? String(trimmed.dropFirst(2)) : trimmed
        guard let bytes = [UInt8](hexString: digits) else { throw .notHex(String(trimmed.prefix(40))) }
        do {
            key = try BLSPublicKey(compressed: bytes)
        } catch {
            throw .invalid(error)
        }
    }

    /// The League of Entropy's quicknet key (DrandQuicknet.publicKey), checked by the tests.
    public static let quicknet: DrandPublicKey = {
        do { return try DrandPublicKey(hex: DrandQuicknet.publicKey) } catch { preconditionFailure("\(error)") }
    }()

    public var hex: String { key.compressed.hexString }
    var isQuicknet: Bool { self == .quicknet }

    /// "quicknet's" or the first hex digits of another key, for messages.
    public var description: String { isQuicknet ? "the quicknet public key" : "public key \(hex.prefix(16))…" }
}

/// Why a DRAND_PUBLIC_KEY value was refused.
public enum DrandPublicKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case notHex(String)
    case invalid(BLSError)

    public var description: String {
        switch self {
        case .notHex(let text): "the drand public key must be hexadecimal (96 bytes, a compressed G2 point), got '\(text)'"
        case .invalid(let error): "the drand public key is not usable: \(error)"
        }
    }
}
