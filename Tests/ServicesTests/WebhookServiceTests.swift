import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

@Suite(.databaseTests) struct WebhookServiceTests {
    let fast = WebhookDelivery.RetryPolicy(attempts: 2, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20), timeout: .seconds(5))

    func service(_ fixture: ServicesFixture, loopback: Bool = true) throws -> WebhookService {
        WebhookService(store: fixture.store, delivery: try WebhookDelivery(urlPolicy: WebhookURLPolicy(allowLoopback: loopback), policy: fast))
    }

    @Test(arguments: TestDatabaseBackend.all) func addingChecksTheURLAndNeverShowsItAgain(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("Iron Foundry")
        let webhooks = try service(fixture, loopback: false)
        await #expect(throws: ServiceError.self) {
            try await webhooks.add(clanID: clan, url: "http://example.com/hook", provider: .discord)
        }
        await #expect(throws: ServiceError.self) {
            try await webhooks.add(clanID: clan, url: "https://discord.com/api/webhooks/1/TOKEN", provider: .discord, events: "contest.won")
        }
        let added = try await webhooks.add(clanID: clan, url: "https://discord.com/api/webhooks/1/TOKEN", provider: .discord, events: "contest.drawn")
        #expect(added.signingSecret == nil)
        #expect(added.webhook.events == [.contestDrawn])
        let listed = try await webhooks.list(clanID: clan)
        #expect(listed.map(\.maskedURL) == ["https://discord.com/api/…"])
        #expect(!listed[0].maskedURL.contains("TOKEN"))
    }

    @Test(arguments: TestDatabaseBackend.all) func customWebhooksGetASigningSecretOnce(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("C")
        let added = try await service(fixture).add(clanID: clan, url: "https://example.org/clan-events", provider: .custom)
        let secret = try #require(added.signingSecret)
        #expect(secret.count == 64)
        #expect(added.webhook.events == WebhookEvent.allCases)
    }

    @Test(arguments: TestDatabaseBackend.all) func publishingReachesOnlySubscribersAndRecordsEachStatus(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("C")
        let router = HTTPTestRouter()
        router.route("POST", "/ok") { _ in .status(204) }
        router.route("POST", "/flaky", script: [.status(500), .status(200)])
        router.route("POST", "/gone") { _ in .json(#"{"message":"Unknown Webhook"}"#, status: 404) }
        router.route("POST", "/other") { _ in .status(200) }
        let server = try HTTPTestServer(router: router)
        let webhooks = try service(fixture)
        let ok = try await webhooks.add(clanID: clan, url: server.baseURL + "/ok", provider: .discord, events: "snapshot.finished")
        let flaky = try await webhooks.add(clanID: clan, url: server.baseURL + "/flaky", provider: .slack, events: "all")
        let gone = try await webhooks.add(clanID: clan, url: server.baseURL + "/gone", provider: .custom, events: "snapshot.finished")
        _ = try await webhooks.add(clanID: clan, url: server.baseURL + "/other", provider: .discord, events: "contest.drawn")

        let message = WebhookMessage(event: .snapshotFinished, clanName: "C", title: "Snapshot finished", description: "3 of 3", occurredAt: Date())
        let outcomes = try await webhooks.publish(message, clanID: clan)
        #expect(outcomes.map(\.webhookID) == [ok.webhook.id, flaky.webhook.id, gone.webhook.id])
        #expect(outcomes.map(\.result.succeeded) == [true, true, false])
        #expect(!server.requests.contains { $0.path == "/other" })

        let listed = try await webhooks.list(clanID: clan)
        let byID = Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0) })
        #expect(byID[ok.webhook.id]?.lastStatusCode == 204)
        #expect(byID[flaky.webhook.id]?.lastStatusCode == 200)
        #expect(byID[flaky.webhook.id]?.lastError == nil)
        #expect(byID[gone.webhook.id]?.lastStatusCode == 404)
        #expect(byID[gone.webhook.id]?.lastError?.contains("Unknown Webhook") == true)
        #expect(byID[gone.webhook.id]?.lastDeliveryAt != nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func aTestPostIsSentAndRecorded(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("C")
        let server = try HTTPTestServer { _ in .status(200) }
        let webhooks = try service(fixture)
        let added = try await webhooks.add(clanID: clan, url: server.baseURL + "/hook", provider: .custom, events: "contest.drawn")
        let outcome = try await webhooks.sendTest(id: added.webhook.id, clanID: clan, clanName: "C")
        #expect(outcome.result.succeeded)
        let request = try #require(server.requests.first)
        let signature = try #require(request.headers[WebhookSignature.signatureHeader])
        let timestamp = try #require(request.headers[WebhookSignature.timestampHeader].flatMap { Int64($0) })
        let secret = try #require(added.signingSecret)
        #expect(WebhookSignature.isValid(signature: signature, body: Array(request.body), secret: Array(secret.utf8), timestamp: timestamp))
    }

    @Test(arguments: TestDatabaseBackend.all) func removingAnotherClansWebhookIsRefused(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let first = try await fixture.clan("First")
        let second = try await fixture.clan("Second")
        let webhooks = try service(fixture)
        let added = try await webhooks.add(clanID: first, url: "https://example.org/x", provider: .discord)
        await #expect(throws: (any Error).self) { try await webhooks.remove(id: added.webhook.id, clanID: second) }
        try await webhooks.remove(id: added.webhook.id, clanID: first)
        #expect(try await webhooks.list(clanID: first).isEmpty)
    }
}

/// Limits an officer cannot exceed: how many webhooks a clan has, and how many posts one event makes at once.
@Suite(.databaseTests) struct WebhookLimitTests {
    let fast = WebhookDelivery.RetryPolicy(attempts: 1, initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(20), timeout: .seconds(5))

    @Test(arguments: TestDatabaseBackend.all) func aClanHasAtMostTenWebhooks(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("C")
        let other = try await fixture.clan("Other")
        let webhooks = WebhookService(store: fixture.store, delivery: try WebhookDelivery(urlPolicy: WebhookURLPolicy(), policy: fast))
        for index in 1...WebhookService.maximumPerClan {
            _ = try await webhooks.add(clanID: clan, url: "https://example.org/hook/\(index)", provider: .custom)
        }
        await #expect(throws: ServiceError.invalidRequest(
            "C already has 10 webhooks, the most a clan can have; remove one with /webhook remove first")) {
            try await webhooks.add(clanID: clan, url: "https://example.org/hook/11", provider: .custom)
        }
        #expect(try await webhooks.list(clanID: clan).count == 10)
        // The limit is per clan.
        _ = try await webhooks.add(clanID: other, url: "https://example.org/hook/11", provider: .custom)
    }

    @Test(arguments: TestDatabaseBackend.all) func oneEventIsDeliveredAFewPostsAtATime(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("C")
        let inFlight = LockedValue(0)
        let most = LockedValue(0)
        // Each post holds its connection a moment, so posts that run together overlap.
        let server = try HTTPTestServer { _ in
            let now = inFlight.withLock { value in
                value += 1
                return value
            }
            most.withLock { $0 = max($0, now) }
            usleep(60_000)
            inFlight.withLock { $0 -= 1 }
            return .status(204)
        }
        defer { server.stop() }
        let webhooks = WebhookService(store: fixture.store, delivery: try WebhookDelivery(urlPolicy: WebhookURLPolicy(allowLoopback: true), policy: fast))
        for index in 1...10 {
            _ = try await webhooks.add(clanID: clan, url: server.baseURL + "/hook/\(index)", provider: .custom)
        }
        let message = WebhookMessage(event: .snapshotFinished, clanName: "C", title: "t", description: "d", occurredAt: Date())
        let outcomes = try await webhooks.publish(message, clanID: clan)
        #expect(outcomes.count == 10 && outcomes.allSatisfy(\.result.succeeded))
        #expect(most.value >= 2 && most.value <= WebhookService.deliveriesAtOnce)
    }
}
