import Domain
import Foundation
import Testing
import TestSupport
import Transport
@testable import Services

@Suite struct WebhookDeliveryTests {
    let message = WebhookMessage(
        event: .snapshotFinished, clanName: "Iron Foundry", title: "Snapshot finished",
        description: "48 of 50 members updated", occurredAt: Date(timeIntervalSince1970: 1_764_000_000),
        data: ["job": "42"])
    let fastRetries = WebhookDelivery.RetryPolicy(attempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50), timeout: .seconds(5))
    /// The test servers listen on 127.0.0.1.
    let loopback = WebhookURLPolicy(allowLoopback: true)

    @Test func a500ThenA200IsDeliveredOnTheSecondTry() async throws {
        let router = HTTPTestRouter()
        router.route("POST", "/hook", script: [.text("boom", status: 500), .status(204)])
        let server = try HTTPTestServer(router: router)
        let delivery = try WebhookDelivery(urlPolicy: loopback, policy: fastRetries)
        let result = await delivery.deliver(message, to: WebhookTarget(id: 1, url: server.baseURL + "/hook", provider: .discord))
        #expect(result.succeeded)
        #expect(result.attempts == 2)
        #expect(result.statusCode == 204)
        #expect(server.requests.count == 2)
        let body = try #require(try JSONSerialization.jsonObject(with: server.requests[1].body) as? [String: Any])
        #expect((body["embeds"] as? [[String: Any]])?.first?["title"] as? String == "Snapshot finished")
        #expect(server.requests[1].headers["Content-Type"] == "application/json")
    }

    @Test func a404IsFinalAndKeepsDiscordsExplanation() async throws {
        let router = HTTPTestRouter()
        router.route("POST", "/hook") { _ in .json(#"{"message": "Unknown Webhook", "code": 10015}"#, status: 404) }
        let server = try HTTPTestServer(router: router)
        let result = try await WebhookDelivery(urlPolicy: loopback, policy: fastRetries)
            .deliver(message, to: WebhookTarget(id: 1, url: server.baseURL + "/hook", provider: .discord))
        #expect(!result.succeeded)
        #expect(result.attempts == 1)
        #expect(result.statusCode == 404)
        #expect(result.error?.contains("Unknown Webhook") == true)
    }

    @Test func persistentFailuresStopAfterTheLastAttempt() async throws {
        let router = HTTPTestRouter()
        router.route("POST", "/hook") { _ in .status(503) }
        let server = try HTTPTestServer(router: router)
        let result = try await WebhookDelivery(urlPolicy: loopback, policy: fastRetries)
            .deliver(message, to: WebhookTarget(id: 1, url: server.baseURL + "/hook", provider: .slack))
        #expect(!result.succeeded)
        #expect(result.attempts == 3)
        #expect(server.requests.count == 3)
        #expect(result.error == "HTTP 503")
    }

    @Test func anUnreachableEndpointIsReportedNotThrown() async throws {
        // A port that refuses connections for the whole test (no other test's server can take it).
        let closed = try ClosedPort()
        let url = closed.baseURL() + "/hook"
        let result = try await WebhookDelivery(urlPolicy: loopback, policy: fastRetries)
            .deliver(message, to: WebhookTarget(id: 1, url: url, provider: .custom, secret: [1, 2, 3]))
        #expect(!result.succeeded)
        #expect(result.statusCode == nil)
        #expect(result.error != nil)
        withExtendedLifetime(closed) {}
    }

    @Test func customBodiesAreSignedSoTheReceiverCanCheckThem() async throws {
        let server = try HTTPTestServer { _ in .status(200) }
        let secret = Array("receiver-shared-secret".utf8)
        let delivery = try WebhookDelivery(urlPolicy: loopback, policy: fastRetries, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        let result = await delivery.deliver(message, to: WebhookTarget(id: 7, url: server.baseURL + "/in", provider: .custom, secret: secret))
        #expect(result.succeeded)
        let request = try #require(server.requests.first)
        #expect(request.headers[WebhookSignature.timestampHeader] == "1800000000")
        let signature = try #require(request.headers[WebhookSignature.signatureHeader])
        #expect(WebhookSignature.isValid(signature: signature, body: Array(request.body), secret: secret, timestamp: 1_800_000_000))
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["event"] as? String == "snapshot.finished")
    }
}
