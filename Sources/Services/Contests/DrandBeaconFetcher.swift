import Domain
import Foundation
import Transport

/// Fetches one drand quicknet round from a relay (`DRAND_BASE`), waiting for it while it does not exist yet.
///
/// Relays answer a round that is still in the future with 425 Too Early (some with 404); those, 429, 5xx and
/// network failures are retried every `retryInterval` until `maximumWait` has passed. Any other status, or a body
/// that is not a beacon round, ends the attempt at once. The round is returned as served: the caller validates it
/// (`BeaconRound.validate(expectedRound:publicKey:)`: round, randomness and BLS signature) before any draw uses it.
struct DrandBeaconFetcher: Sendable {
    let http: any HTTPSending
    let baseURL: String
    let retryInterval: Duration
    let maximumWait: Duration

    func url(ofRound round: UInt64) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + DrandQuicknet.path(ofRound: round)
    }

    func fetch(round: UInt64) async throws -> BeaconRound {
        let url = url(ofRound: round)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: maximumWait)
        var attempts = 0
        var lastAnswer = "none"
        while true {
            attempts += 1
            do {
                let response = try await http.send(.get(url, headers: ["Accept": "application/json"], timeout: .seconds(10)))
                switch response.status {
                case 200..<300:
                    do {
                        return try BeaconRound.parse(json: response.body)
                    } catch {
                        throw ContestServiceError.beaconRefused(round: round, error)
                    }
                case 404, 425, 429, 500..<600:
                    lastAnswer = "HTTP \(response.status) \(response.text.prefix(120))"
                default:
                    throw ContestServiceError.beaconUnavailable(round: round, url: url, attempts: attempts,
                                                                lastAnswer: "HTTP \(response.status) \(response.text.prefix(120))")
                }
            } catch let error as HTTPError {
                if case .cancelled = error { throw error }
                lastAnswer = error.description
            }
            guard clock.now.advanced(by: retryInterval) < deadline else {
                throw ContestServiceError.beaconUnavailable(round: round, url: url, attempts: attempts, lastAnswer: lastAnswer)
            }
            try await Task.sleep(for: retryInterval)
        }
    }
}
