import Domain
import Foundation
import Transport

/// A local stand-in for a drand relay (`DRAND_BASE`): serves `GET /{quicknet chain hash}/public/{round}` with the
/// real JSON shape `{"round": R, "randomness": "<64 hex>", "signature": "<96 hex>"}`, randomness = SHA-256(signature).
///
/// Rounds 2 and 3 are the real quicknet values (docs/draw-scheme.md Appendix A); any other round is served with a
/// made-up 48-byte signature unless `publishesEveryRound` is off. A test can say that a round "does not exist yet"
/// for its first K requests (answered 425 Too Early, as relays answer future rounds), or serve a tampered randomness.
public final class FakeDrandRelay: Sendable {
    /// Real quicknet round 2.
    public static let quicknetRound2 = BeaconRound(
        round: 2, randomness: "5782d6987841c654515a0e72b2d1ebb4e741234042c37cb19608ae50d93fb60c",
        signature: "b6b6a585449b66eb12e875b64fcbab3799861a00e4dbf092d99e969a5eac57dd3f798acf61e705fe4f093db926626807")
    /// Real quicknet round 3.
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
        publish(Self.quicknetRound2)
        publish(Self.quicknetRound3)
    }

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
        if round == 2 { beacon = Self.quicknetRound2 }
        if round == 3 { beacon = Self.quicknetRound3 }
        beacon.randomness = randomness
        publish(beacon)
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

    /// The round a relay would serve for `round` when nobody published one: a made-up 48-byte signature
    /// (SHA-256 of "fake drand round R", then its first 16 bytes again) and randomness = SHA-256(signature).
    public static func beacon(round: UInt64) -> BeaconRound {
        let digest = fakeDigest("fake drand round \(round)")
        return BeaconRound(round: round, signature: digest + Array(digest.prefix(16)))
    }

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

    /// SHA-256 through the beacon type (Domain's hashing), so TestSupport needs no other crypto import.
    private static func fakeDigest(_ text: String) -> [UInt8] {
        BeaconRound(round: 0, signature: Array(text.utf8)).randomnessBytes ?? []
    }
}
