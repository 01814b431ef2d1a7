import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// All the shards of a process: `GET /gateway/bot` on the fake Discord's REST API, gateway connections
/// in memory (no socket), the identify queue on the real clock.
@Suite struct DiscordGatewayTests {
    /// Plays Discord on one connection up to READY, with a heartbeat interval long enough never to come up.
    static func identifyAndReady(_ peer: InMemoryGatewayPeer) async throws -> FakeGatewayPayload {
        peer.sendHello(heartbeatInterval: 45_000)
        let identify = try await peer.next(op: 2)
        peer.sendReady(sessionID: "shard-\(identify.shard?[0] ?? -1)", shard: identify.shard ?? [0, 1])
        return identify
    }

    @Test func shardsIdentifyWithTheirIdsNoFasterThanMaxConcurrencyAllows() async throws {
        let discord = try FakeDiscord(shards: 2, maxConcurrency: 1) { _ in }
        let start = ContinuousClock.now
        let memory = InMemoryGatewayConnector(now: { Double((ContinuousClock.now - start).nanoseconds) / 1e9 })
        let harness = try GatewayHarness(discord, connector: memory)
        let first = try await memory.nextConnection()
        let second = try await memory.nextConnection()
        async let one = Self.identifyAndReady(first)
        async let two = Self.identifyAndReady(second)
        let identifies = try await [one, two].sorted { $0.time < $1.time }
        let results = await harness.stop()
        #expect(results.count == 2)
        #expect(Set(identifies.compactMap(\.shard)) == [[0, 2], [1, 2]])
        #expect(identifies[1].time - identifies[0].time >= 0.35)  // bucket interval 0.4 s in this test
        #expect(memory.attempts.allSatisfy { $0.hasPrefix(discord.gatewayURL) })
    }

    @Test func aShardSliceRunsOnlyItsShards() async throws {
        let discord = try FakeDiscord(shards: 4, maxConcurrency: 4) { _ in }
        let memory = InMemoryGatewayConnector()
        let harness = try GatewayHarness(discord, connector: memory, shards: try ShardSelection.parse("2..3/4"))
        async let one = Self.identifyAndReady(try await memory.nextConnection())
        async let two = Self.identifyAndReady(try await memory.nextConnection())
        let identifies = try await [one, two]
        _ = await harness.stop()
        #expect(Set(identifies.compactMap(\.shard)) == [[2, 4], [3, 4]])
        #expect(memory.connections.count == 2)
    }

    @Test func anUnavailableGatewayAddressIsRetriedUntilDiscordAnswers() async throws {
        let discord = try FakeDiscord { _ in }
        discord.answerGatewayBot(with: .text("upstream down", status: 503))
        let memory = InMemoryGatewayConnector()
        let harness = try GatewayHarness(discord, connector: memory)
        // The client fails (each GET is itself retried by the REST client) and says so, then recovers.
        _ = try await harness.status("a warning about the gateway address") { status in
            if case .warning(_, let message) = status, message.contains("gateway address") { true } else { nil }
        }
        let failures = discord.restRequests.count
        #expect(memory.attempts.isEmpty)
        discord.answerGatewayBot(with: .json(#"{"url":"\#(discord.gatewayURL)","shards":1,"session_start_limit":{"total":1000,"remaining":1000,"reset_after":1000,"max_concurrency":1}}"#))
        _ = try await Self.identifyAndReady(try await memory.nextConnection())
        try await harness.ready()
        _ = await harness.stop()
        #expect(failures >= 2)
    }

    @Test func aRefusedGatewayAddressIsAnErrorNotARetry() async throws {
        let discord = try FakeDiscord { _ in }
        discord.answerGatewayBot(with: .text(#"{"message":"401: Unauthorized","code":0}"#, status: 401))
        let memory = InMemoryGatewayConnector()
        let harness = try GatewayHarness(discord, connector: memory)
        guard case .failure = await harness.run.value else {
            Issue.record("expected GET /gateway/bot to fail the run")
            return
        }
        #expect(memory.attempts.isEmpty)
    }

    @Test func anInteractionReachesTheHandlerAndIsAnsweredOverREST() async throws {
        let discord = try FakeDiscord { _ in }
        let callbacks = AsyncMailbox<HTTPTestRequest>()
        discord.router.route("POST", "/api/v10/interactions/555/itok/callback") { request in
            callbacks.send(request)
            return .status(204)
        }
        let memory = InMemoryGatewayConnector()
        let harness = try GatewayHarness(discord, connector: memory, handler: NotAvailableYetHandler())
        let peer = try await memory.nextConnection()
        _ = try await Self.identifyAndReady(peer)
        peer.sendRaw(InteractionFixtures.slashCommand(sequence: 2, interactionID: "555", token: "itok"))
        let callback = try await callbacks.next("the interaction callback") { $0 }
        _ = await harness.stop()
        #expect(callback.headers["Authorization"] == "Bot test-token")
        let body = try JSONSerialization.jsonObject(with: callback.body) as? [String: Any]
        #expect(body?["type"] as? Int == 4)
        #expect((body?["data"] as? [String: Any])?["flags"] as? Int == 64)
        #expect(harness.dispatches.value == ["INTERACTION_CREATE"])
    }
}
