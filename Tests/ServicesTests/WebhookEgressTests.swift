import DatabaseTestTraits
import Domain
import Foundation
import Testing
import TestSupport
import Transport
@testable import Services

/// Webhooks cannot be aimed at the bot host's own network: refused at `/webhook add` by address, and at
/// every delivery by the address actually connected to (after DNS). No test here sends a packet to anything
/// but 127.0.0.1: a private or link-local address is refused before a socket is opened.
@Suite(.databaseTests) struct WebhookEgressTests {
    let message = WebhookMessage(event: .contestDrawn, clanName: "Iron Foundry", title: "Winner drawn",
                                 description: "Zezima won", occurredAt: Date(timeIntervalSince1970: 1_800_000_000))
    let fast = WebhookDelivery.RetryPolicy(attempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50), timeout: .seconds(5))

    func delivery(allowLoopback: Bool, caFile: String? = nil, resolve: [String] = []) throws -> WebhookDelivery {
        try WebhookDelivery(client: .init(timeout: .seconds(5), caFile: caFile, resolve: resolve),
                            urlPolicy: WebhookURLPolicy(allowLoopback: allowLoopback), policy: fast)
    }

    @Test(arguments: [("https://10.1.2.3/hook", "private"), ("https://169.254.169.254/latest", "link-local")])
    func privateAndLinkLocalLiteralsAreNeverAttempted(url: String, reason: String) async throws {
        for allowLoopback in [false, true] {
            let result = try await delivery(allowLoopback: allowLoopback).deliver(message, to: WebhookTarget(id: 1, url: url, provider: .custom))
            #expect(!result.succeeded)
            #expect(result.attempts == 0)
            #expect(result.statusCode == nil)
            #expect(result.error?.contains(reason) == true)
        }
    }

    @Test(arguments: [("hooks.clan.test", "10.1.2.3", "private"), ("metadata.clan.test", "169.254.169.254", "link-local")])
    func aNameLeadingToAPrivateAddressIsRefusedAtConnectTime(host: String, address: String, reason: String) async throws {
        // The name passes the check at add time; only the connection can tell where it leads. The refusal comes
        // from the connect-time check (its message names the address), before any socket is opened.
        let delivery = try delivery(allowLoopback: true, resolve: ["\(host):443:\(address)"])
        let result = await delivery.deliver(message, to: WebhookTarget(id: 1, url: "https://\(host)/hook", provider: .discord))
        #expect(!result.succeeded)
        #expect(result.attempts == 1, "a refused address is final, not retried")
        #expect(result.error?.contains("\(address) is in") == true)
        #expect(result.error?.contains(reason) == true)
    }

    /// A TLS receiver on 127.0.0.1 reached three ways: a name resolving to 127.0.0.1 (the DNS-rebinding case),
    /// `localhost`, and the IPv4-mapped IPv6 literal.
    @Test(arguments: ["resolved", "localhost", "mapped"])
    func loopbackIsReachedOnlyWhenAllowed(way: String) async throws {
        let certificates = try TestCertificates.generate(hosts: ["hooks.clan.test", "localhost", "::ffff:127.0.0.1"])
        let server = try HTTPTestServer(tls: TLSServerWrapper(certificates: certificates)) { _ in .status(204) }
        let port = server.port
        let url = switch way {
        case "resolved": "https://hooks.clan.test:\(port)/hook"
        case "localhost": "https://localhost:\(port)/hook"
        default: "https://[::ffff:127.0.0.1]:\(port)/hook"
        }
        let resolve = ["hooks.clan.test:\(port):127.0.0.1"]
        let target = WebhookTarget(id: 1, url: url, provider: .slack)

        let refused = try await delivery(allowLoopback: false, caFile: certificates.caFilePath, resolve: resolve).deliver(message, to: target)
        #expect(!refused.succeeded)
        #expect(refused.error?.contains("loopback") == true)
        #expect(server.connectionCount == 0)

        let delivered = try await delivery(allowLoopback: true, caFile: certificates.caFilePath, resolve: resolve).deliver(message, to: target)
        #expect(delivered.succeeded)
        #expect(delivered.statusCode == 204)
        #expect(server.requests.map(\.path) == ["/hook"])
    }

    @Test func redirectsAreNotFollowed() async throws {
        let inside = try HTTPTestServer { _ in .status(200) }
        let receiver = try HTTPTestServer { _ in
            HTTPTestResponse(status: 302, headers: ["Location": inside.baseURL + "/admin"])
        }
        let result = try await delivery(allowLoopback: true).deliver(message, to: WebhookTarget(id: 1, url: receiver.baseURL + "/hook", provider: .discord))
        #expect(!result.succeeded)
        #expect(result.statusCode == 302)
        #expect(inside.requests.isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func addingRefusesNonPublicAddressesWithTheReason(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clan = try await fixture.clan("Iron Foundry")
        let strict = WebhookService(store: fixture.store, delivery: try delivery(allowLoopback: false))
        let relaxed = WebhookService(store: fixture.store, delivery: try delivery(allowLoopback: true))
        for (url, reason) in [("https://10.1.2.3/hook", "private"), ("https://169.254.169.254/latest", "link-local"),
                              ("https://[::ffff:127.0.0.1]/", "loopback")] {
            await #expect {
                try await strict.add(clanID: clan, url: url, provider: .custom)
            } throws: { error in
                String(describing: error).contains(reason)
            }
        }
        _ = try await relaxed.add(clanID: clan, url: "https://[::ffff:127.0.0.1]/", provider: .custom)
        await #expect(throws: ServiceError.self) { try await relaxed.add(clanID: clan, url: "https://10.1.2.3/hook", provider: .custom) }
        #expect(try await strict.list(clanID: clan).count == 1)
    }
}
