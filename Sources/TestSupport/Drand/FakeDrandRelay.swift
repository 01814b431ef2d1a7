import BLS12381
import Cryptography
import Domain
import Foundation
import Transport

/// A local stand-in for a drand relay (`DRAND_BASE`): serves `GET /{quicknet chain hash}/public/{round}` with the
/// real JSON shape `{"round": R, "randomness": "<64 hex>", "signature": "<96 hex>"}`, randomness = SHA-256(signature).
///
/// Every round carries a real BLS signature (quicknet's scheme: G1, RFC 9380 hash of SHA-256(u64be(R))) made with
/// the relay's own test key, whose public key is `publicKeyHex` (give it to the bot as DRAND_PUBLIC_KEY, or as
/// `DrandPublicKey` in a service configuration). Rounds are served unless `publishesEveryRound` is off. A test can
/// say that a round "does not exist yet" for its first K requests (answered 425 Too Early, as relays answer future
/// rounds), or serve a tampered randomness or signature.
public final class FakeDrandRelay: Sendable {
    /// The relay's signing key: a fixed test key (SHA-256 of a label, top bits cleared to stay below r), so the
    /// rounds it serves are the same in every test run. Never the League of Entropy's key.
    static let secretKey: BLSSecretKey = {
        var bytes = Digest.sha256(Array("clanbot FakeDrandRelay test key".utf8))
        bytes[0] &= 0x3f
        do { return try BLSSecretKey(bytes: bytes) } catch { preconditionFailure("\(error)") }
    }()

    /// The relay's public key, 96 bytes compressed, as hex: the value for DRAND_PUBLIC_KEY.
    public static let publicKeyHex = secretKey.publicKey.compressed.hexString
    /// The same key, for a service configuration.
    public static let publicKey = DrandPublicKey(key: secretKey.publicKey)

    /// Real quicknet round 2 (signed by the League of Entropy: verifies only under quicknet's key).
    public static let quicknetRound2 = BeaconRound(
        round: 2, randomness: "5782d6987841c654515a0e72b2d1ebb4e741234042c37cb19608ae50d93fb60c",
        signature: "b6b6a585449b66eb12e875b64fcbab3799861a00e4dbf092d99e969a5eac57dd3f798acf61e705fe4f093db926626807")
    /// Real quicknet round 3 (signed by the League of Entropy).
    public static let quicknetRound3 = BeaconRound(
        round: 3, randomness: "7ef4621ace1c6da4eb2eee7cd901f81385bca5b189771ec0f08d0d2566dd1a21",
        signature: "b3fab6df720b68cc47175f2c777e86d84187caab5770906f515ff1099cb01e4deaa027075d860823e49477b93c72bd64")

    private struct State {
        var rounds: [UInt64: String] = [:]
        var pendingRequests: [UInt64: Int] = [:]
        var scripted: [UInt64: [HTTPTestResponse]] = [:]
        var publishesEveryRound = true
    }

    private let server: HTTPTestServer
    private let state: LockedValue<State>

    public init() throws {
        let state = LockedValue(State())
        self.state = state
        server = try HTTPTestServer { request in FakeDrandRelay.answer(request, state) }
    }

    /// The value for DRAND_PUBLIC_KEY.
    public var publicKeyHex: String { Self.publicKeyHex }
    /// The value for DRAND_BASE.
    public var baseURL: String { server.baseURL }
    public var requests: [HTTPTestRequest] { server.requests }
    /// The rounds asked for, in order.
    public var requestedRounds: [UInt64] { requests.compactMap { Self.round(in: $0.path) } }

    /// Off: rounds nobody published answer 404, as a relay of another chain would.
    public func setPublishesEveryRound(_ value: Bool) {
        state.withLock { $0.publishesEveryRound = value }
    }

    /// Serves `beacon` as it is (a tampered one too) for its round.
    public func publish(_ beacon: BeaconRound) {
        state.withLock { $0.rounds[beacon.round] = Self.json(beacon) }
    }

    /// Serves `round` with this randomness instead of SHA-256 of its signature.
    public func tamper(round: UInt64, randomness: String) {
        var beacon = Self.beacon(round: round)
        beacon.randomness = randomness
        publish(beacon)
    }

    /// Serves `round` with another round's signature (and randomness = SHA-256 of it, so only the BLS check can
    /// tell): what a relay forging the randomness would have to do.
    public func forgeSignature(round: UInt64, signatureOfRound other: UInt64) {
        let forged = Self.beacon(round: other)
        publish(BeaconRound(round: round, randomness: forged.randomness, signature: forged.signature))
    }

    /// The first `count` requests for `round` answer 425 Too Early, as if the round were still in the future.
    public func notYetAvailable(round: UInt64, forFirst count: Int) {
        state.withLock { $0.pendingRequests[round] = count }
    }

    /// Answers `round` with these responses in turn (then as usual): 500s, garbage, a wrong round.
    public func script(round: UInt64, _ responses: [HTTPTestResponse]) {
        state.withLock { $0.scripted[round] = responses }
    }

    public func stop() { server.stop() }

    /// The round the relay serves for `round` when nobody published another: signed with the relay's key,
    /// randomness = SHA-256(signature). Deterministic (BLS signatures are), so tests can compute what is served.
    public static func beacon(round: UInt64) -> BeaconRound {
        signed.withLock { cache in
            if let beacon = cache[round] { return beacon }
            let beacon = BeaconRound(round: round, signature: secretKey.sign(BeaconRound.signedMessage(round: round)))
            cache[round] = beacon
            return beacon
        }
    }

    /// Rounds signed so far (signing costs a few milliseconds; tests ask for the same rounds repeatedly).
    private static let signed = LockedValue<[UInt64: BeaconRound]>([:])

    static func json(_ beacon: BeaconRound) -> String {
        #"{"round":\#(beacon.round),"randomness":"\#(beacon.randomness)","signature":"\#(beacon.signature)"}"#
    }

    static func round(in path: String) -> UInt64? {
        let prefix = "/\(DrandQuicknet.chainHash)/public/"
        guard path.hasPrefix(prefix) else { return nil }
        return UInt64(path.dropFirst(prefix.count))
    }

    private static func answer(_ request: HTTPTestRequest, _ state: LockedValue<State>) -> HTTPTestResponse {
        guard request.method == "GET", let round = round(in: request.path) else {
            return .json(#"{"error":"not found"}"#, status: 404)
        }
        return state.withLock { state -> HTTPTestResponse in
            if var script = state.scripted[round], !script.isEmpty {
                let first = script.removeFirst()
                state.scripted[round] = script
                return first
            }
            if let pending = state.pendingRequests[round], pending > 0 {
                state.pendingRequests[round] = pending - 1
                return .json(#"{"error":"Requested future beacon"}"#, status: 425)
            }
            if let json = state.rounds[round] { return .json(json) }
            guard state.publishesEveryRound else { return .json(#"{"error":"beacon not found"}"#, status: 404) }
            return .json(json(beacon(round: round)))
        }
    }
}
