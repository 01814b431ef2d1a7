import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// The gateway driver against the fake Discord over real TLS WebSockets on loopback, end to end: the
/// WebSocket connector, TLS, close codes on the wire. The protocol itself (resume, op 7, op 9, backoff,
/// zombies) is tested on the in-memory gateway in `GatewayShardTests` and `DiscordGatewayTests`.
@Suite struct FakeDiscordGatewayTests {
    @Test func identifiesThenHeartbeatsWithTheSequenceAndClosesWith1000OnStop() async throws {
        let closeCodes = AsyncMailbox<UInt16?>()
        let discord = try FakeDiscord { connection in
            #expect(connection.path.contains("v=10"))
            #expect(connection.path.contains("encoding=json"))
            // 1 s, not less: a loaded machine can miss a shorter acknowledgement window, and the client then
            // (rightly) treats the connection as a zombie and reconnects.
            try connection.sendHello(heartbeatInterval: 1000)
            let identify = try connection.next(op: 2)
            #expect(identify.token == "test-token")
            #expect(identify.shard == [0, 1])
            #expect(identify.intents == 0)
            try connection.sendReady(sessionID: "session-1", sequence: 1)
            try connection.sendDispatch("GUILD_CREATE", sequence: 2, data: #"{"id":"1"}"#)
            let frame = try connection.serve(for: .seconds(10))  // acknowledging heartbeats until the client closes
            closeCodes.send(frame?.code)
        }
        let harness = try GatewayHarness(discord)
        try await harness.ready()
        // Real heartbeats over the wire, 1 s apart: wait for two (a starved test may take far longer than 2 s).
        let deadline = ContinuousClock.now + .seconds(30)
        while discord.received.filter(\.isHeartbeat).count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let results = await harness.stop()
        #expect(results[ShardID(index: 0, count: 1)] == .requested)
        #expect(try await closeCodes.next("the server to see the close") { $0 } == 1000)

        let heartbeats = discord.received.filter(\.isHeartbeat)
        #expect(heartbeats.count >= 2)
        #expect(heartbeats.last?.sequence == 2)
        // The first beat comes within one interval of Hello (jitter), later ones about an interval apart.
        if heartbeats.count >= 3 {
            let gap = heartbeats[2].time - heartbeats[1].time
            #expect(gap > 0.5 && gap < 3, "gap \(gap)")
        }
        #expect(harness.dispatches.value == ["GUILD_CREATE"])
        #expect(discord.gatewayErrors.isEmpty, "\(discord.gatewayErrors)")
    }

    /// The close code travels from the server's close frame through the WebSocket client to the session
    /// (every fatal code is tested on the in-memory gateway in `GatewayShardTests`).
    @Test(.timeLimit(.minutes(1)))
    func aFatalCloseCodeArrivesThroughTheWebSocketAndStopsTheShard() async throws {
        let code: UInt16 = 4004
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            connection.close(code: code, reason: "nope")
        }
        let harness = try GatewayHarness(discord)
        let results = try await harness.run.value.get()  // the only shard gave up
        let reason = try #require(results[ShardID(index: 0, count: 1)])
        guard case .fatal(let stoppedCode, let message) = reason else {
            Issue.record("expected a fatal stop, got \(reason)")
            return
        }
        #expect(stoppedCode == code)
        #expect(message.contains("DISCORD_TOKEN"))
        #expect(discord.gateway.connectionCount == 1)
        #expect(!harness.statusLog.value.contains { if case .reconnecting = $0 { true } else { false } })
    }
}
