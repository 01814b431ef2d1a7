import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// The gateway driver against the fake Discord over real TLS WebSockets on loopback: what the client sends
/// (identify or resume, session id, sequence) and when (within generous bounds).
@Suite struct FakeDiscordGatewayTests {
    /// A running gateway client plus what it reported.
    final class Harness: Sendable {
        let gateway: DiscordGateway
        let statuses = LockedValue<[GatewayStatus]>([])
        let dispatches = LockedValue<[String]>([])
        let run: Task<Result<[ShardID: GatewaySession.StopReason], DiscordRESTError>, Never>

        init(_ discord: FakeDiscord, shards: ShardSelection? = nil, invalidSessionDelay: ClosedRange<Double> = 0.05...0.1,
             handler: (any InteractionHandler)? = nil) throws {
            // Quick REST retries: the outage test waits for the gateway's own retry warning.
            var restOptions = DiscordREST.Options()
            restOptions.retryBase = 0.05
            let rest = DiscordREST(token: "test-token", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil), options: restOptions)
            var options = DiscordGateway.Options(token: "test-token", shards: shards)
            options.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
            options.invalidSessionDelay = invalidSessionDelay
            options.identifyBucketInterval = 0.4
            options.helloTimeout = .milliseconds(700)
            let statuses = self.statuses
            let dispatches = self.dispatches
            let interactions = handler.map { InteractionDispatcher(rest: rest, handler: $0) }
            let gateway = DiscordGateway(
                options: options, rest: rest, connector: WebSocketGatewayConnector(caFile: discord.caFilePath),
                onStatus: { status in statuses.withLock { $0.append(status) } },
                onDispatch: { _, dispatch in
                    dispatches.withLock { $0.append(dispatch.name) }
                    interactions?.dispatch(dispatch)
                }
            )
            self.gateway = gateway
            run = Task {
                do throws(DiscordRESTError) { return .success(try await gateway.run()) } catch { return .failure(error) }
            }
        }

        func stop() async -> [ShardID: GatewaySession.StopReason] {
            await gateway.stop()
            return (try? await run.value.get()) ?? [:]
        }

        func finished(within timeout: Duration) async -> [ShardID: GatewaySession.StopReason]? {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if statuses.value.contains(where: { if case .gaveUp = $0 { true } else { false } }) {
                    return try? await run.value.get()
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }

        func waitFor(_ description: String, within timeout: Duration = .seconds(20), _ condition: ([GatewayStatus]) -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if condition(statuses.value) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("timed out waiting for \(description); statuses: \(statuses.value)")
            return false
        }
    }

    static func count(_ statuses: [GatewayStatus], _ match: (GatewayStatus) -> Bool) -> Int { statuses.filter(match).count }
    static func isResumed(_ status: GatewayStatus) -> Bool { if case .resumed = status { true } else { false } }
    static func isReady(_ status: GatewayStatus) -> Bool { if case .ready = status { true } else { false } }

    @Test func identifiesThenHeartbeatsWithTheSequenceAndClosesWith1000OnStop() async throws {
        let closeCode = LockedValue<UInt16?>(nil)
        let discord = try FakeDiscord { connection in
            #expect(connection.path.contains("v=10"))
            #expect(connection.path.contains("encoding=json"))
            try connection.sendHello(heartbeatInterval: 300)
            let identify = try connection.next(op: 2)
            #expect(identify.token == "test-token")
            #expect(identify.shard == [0, 1])
            #expect(identify.intents == 0)
            try connection.sendReady(sessionID: "session-1", sequence: 1)
            try connection.sendDispatch("GUILD_CREATE", sequence: 2, data: #"{"id":"1"}"#)
            let frame = try connection.serve(for: .seconds(10))  // acknowledging heartbeats until the client closes
            closeCode.withLock { $0 = frame?.code }
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("ready") { $0.contains(where: Self.isReady) })
        try await Task.sleep(for: .milliseconds(900))
        let results = await harness.stop()
        #expect(results[ShardID(index: 0, count: 1)] == .requested)
        try await Task.sleep(for: .milliseconds(200))
        #expect(closeCode.value == 1000)

        let heartbeats = discord.received.filter(\.isHeartbeat)
        #expect(heartbeats.count >= 2)
        #expect(heartbeats.last?.sequence == 2)
        // The first beat comes within one interval of Hello (jitter), later ones about an interval apart.
        if heartbeats.count >= 3 {
            let gap = heartbeats[2].time - heartbeats[1].time
            #expect(gap > 0.2 && gap < 3, "gap \(gap)")
        }
        #expect(harness.dispatches.value == ["GUILD_CREATE"])
        #expect(discord.gatewayErrors.isEmpty, "\(discord.gatewayErrors)")
    }

    @Test func aMissedAckIsAZombieClosedWithoutEndingTheSessionAndThenResumed() async throws {
        let zombieClose = LockedValue<UInt16?>(nil)
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 250)
            if connection.index == 0 {
                _ = try connection.next(op: 2)
                try connection.sendReady(sessionID: "zombie-session", sequence: 3)
                // Never acknowledge: the client must notice at its next beat.
                let frame = try connection.awaitClose()
                zombieClose.withLock { $0 = frame.code }
            } else {
                let resume = try connection.next(op: 6)
                #expect(resume.sessionID == "zombie-session")
                #expect(resume.sequence == 3)
                try connection.sendResumed(sequence: 4)
                try connection.serve(for: .seconds(5))
            }
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("resumed") { $0.contains(where: Self.isResumed) })
        _ = await harness.stop()
        let code = try #require(zombieClose.value)
        #expect(code != 1000 && code != 1001)
        #expect(discord.received.filter(\.isIdentify).count == 1)
        #expect(discord.received.filter(\.isResume).count == 1)
    }

    @Test func opSevenLeadsToAResumeWithTheLatestSequence() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            if connection.index == 0 {
                _ = try connection.next(op: 2)
                try connection.sendReady(sessionID: "s7", sequence: 5)
                try connection.sendDispatch("MESSAGE_CREATE", sequence: 6, data: "{}")
                try connection.sendReconnect()
                _ = try connection.awaitClose()
            } else {
                let resume = try connection.next(op: 6)
                #expect(resume.sessionID == "s7")
                #expect(resume.sequence == 6)
                try connection.sendResumed(sequence: 7)
                try connection.serve(for: .seconds(5))
            }
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("resumed") { $0.contains(where: Self.isResumed) })
        _ = await harness.stop()
        #expect(discord.gateway.connectionCount == 2)
    }

    @Test func resumableInvalidSessionResumes() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            if connection.index == 0 {
                _ = try connection.next(op: 2)
                try connection.sendReady(sessionID: "s9", sequence: 2)
                try connection.sendInvalidSession(resumable: true)
                _ = try connection.awaitClose()
            } else {
                let resume = try connection.next(op: 6)
                #expect(resume.sessionID == "s9")
                try connection.sendResumed(sequence: 3)
                try connection.serve(for: .seconds(5))
            }
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("resumed") { $0.contains(where: Self.isResumed) })
        _ = await harness.stop()
    }

    @Test func nonResumableInvalidSessionWaitsOneToFiveSecondsThenIdentifiesAfresh() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            if connection.index == 0 {
                try connection.sendInvalidSession(resumable: false)
                _ = try connection.awaitClose()
            } else {
                try connection.sendReady(sessionID: "fresh", sequence: 1)
                try connection.serve(for: .seconds(8))
            }
        }
        let harness = try Harness(discord, invalidSessionDelay: 1...5)  // Discord's own range
        #expect(await harness.waitFor("ready", within: .seconds(12)) { $0.contains(where: Self.isReady) })
        _ = await harness.stop()
        let identifies = discord.received.filter(\.isIdentify)
        #expect(identifies.count == 2)
        #expect(discord.received.filter(\.isResume).isEmpty)
        if identifies.count == 2 {
            let gap = identifies[1].time - identifies[0].time
            #expect(gap >= 1 && gap < 6.5, "gap \(gap)")
        }
    }

    @Test func close4000IsResumed() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            if connection.index == 0 {
                _ = try connection.next(op: 2)
                try connection.sendReady(sessionID: "s4000", sequence: 8)
                connection.close(code: 4000, reason: "Unknown error")
            } else {
                let resume = try connection.next(op: 6)
                #expect(resume.sessionID == "s4000")
                #expect(resume.sequence == 8)
                try connection.sendResumed(sequence: 9)
                try connection.serve(for: .seconds(5))
            }
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("resumed") { $0.contains(where: Self.isResumed) })
        _ = await harness.stop()
    }

    @Test(arguments: [UInt16(4004), 4014])
    func fatalCloseCodesStopWithoutReconnecting(code: UInt16) async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            connection.close(code: code, reason: "nope")
        }
        let harness = try Harness(discord)
        let results = await harness.finished(within: .seconds(10))
        let reason = try #require(results?[ShardID(index: 0, count: 1)])
        guard case .fatal(let stoppedCode, let message) = reason else {
            Issue.record("expected a fatal stop, got \(reason)")
            return
        }
        #expect(stoppedCode == code)
        #expect(message.contains(code == 4004 ? "DISCORD_TOKEN" : "intent"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(discord.gateway.connectionCount == 1)
        #expect(!harness.statuses.value.contains { if case .reconnecting = $0 { true } else { false } })
    }

    @Test func failedConnectionsAreRetriedWithGrowingDelays() async throws {
        let opened = LockedValue<[Double]>([])
        let start = ContinuousClock.now
        let discord = try FakeDiscord { connection in
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            opened.withLock { $0.append(Double(seconds) + Double(attoseconds) / 1e18) }
            if connection.index < 3 {
                connection.socket.drop()  // no Hello, no close frame
                return
            }
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "late", sequence: 1)
            try connection.serve(for: .seconds(5))
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("ready") { $0.contains(where: Self.isReady) })
        _ = await harness.stop()
        let times = opened.value
        try #require(times.count >= 4)
        // Backoff base 100 ms: waits in [50, 100], [100, 200], [200, 400] ms, plus connection time
        // (generous upper bounds: the machine may be busy).
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps[0] >= 0.05 && gaps[0] < 5, "\(gaps)")
        #expect(gaps[1] >= 0.1 && gaps[1] < 5, "\(gaps)")
        #expect(gaps[2] >= 0.2 && gaps[2] < 5, "\(gaps)")
    }

    @Test func anUnavailableGatewayAddressIsRetriedUntilDiscordAnswers() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "after-outage", sequence: 1)
            try connection.serve(for: .seconds(5))
        }
        let failures = LockedValue(0)
        discord.answerGatewayBot(with: .text("upstream down", status: 503))
        let harness = try Harness(discord)
        // Let the client fail a few times (each GET is itself retried by the REST client), then recover.
        #expect(await harness.waitFor("a warning") { statuses in
            statuses.contains { if case .warning(_, let message) = $0 { message.contains("gateway address") } else { false } }
        })
        failures.withLock { $0 = discord.restRequests.count }
        discord.answerGatewayBot(with: .json(#"{"url":"\#(discord.gatewayURL)","shards":1,"session_start_limit":{"total":1000,"remaining":1000,"reset_after":1000,"max_concurrency":1}}"#))
        #expect(await harness.waitFor("ready") { $0.contains(where: Self.isReady) })
        _ = await harness.stop()
        #expect(failures.value >= 2)
    }

    @Test func aServerThatNeverSaysHelloIsLeftForANewConnection() async throws {
        let discord = try FakeDiscord { connection in
            if connection.index == 0 {
                _ = try? connection.awaitClose(timeout: .seconds(10))  // silent: no Hello
                return
            }
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "after-silence", sequence: 1)
            try connection.serve(for: .seconds(5))
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("ready") { $0.contains(where: Self.isReady) })
        _ = await harness.stop()
        #expect(discord.gateway.connectionCount == 2)
        #expect(harness.statuses.value.contains { if case .reconnecting(_, let reason, _) = $0 { reason.contains("no Hello") } else { false } })
    }

    @Test func shardsIdentifyWithTheirIdsNoFasterThanMaxConcurrencyAllows() async throws {
        let discord = try FakeDiscord(shards: 2, maxConcurrency: 1) { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            let identify = try connection.next(op: 2)
            try connection.sendReady(sessionID: "shard-\(identify.shard?[0] ?? -1)", shard: identify.shard ?? [0, 1])
            try connection.serve(for: .seconds(5))
        }
        let harness = try Harness(discord)
        #expect(await harness.waitFor("two shards ready") { Self.count($0, Self.isReady) == 2 })
        let results = await harness.stop()
        #expect(results.count == 2)
        let identifies = discord.received.filter(\.isIdentify)
        #expect(Set(identifies.compactMap(\.shard)) == [[0, 2], [1, 2]])
        if identifies.count == 2 {
            #expect(identifies[1].time - identifies[0].time >= 0.35)  // bucket interval 0.4 s in this test
        }
    }

    @Test func aShardSliceRunsOnlyItsShards() async throws {
        let discord = try FakeDiscord(shards: 4, maxConcurrency: 4) { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            let identify = try connection.next(op: 2)
            try connection.sendReady(sessionID: "s", shard: identify.shard ?? [0, 1])
            try connection.serve(for: .seconds(5))
        }
        let harness = try Harness(discord, shards: try ShardSelection.parse("2..3/4"))
        #expect(await harness.waitFor("two shards ready") { Self.count($0, Self.isReady) == 2 })
        _ = await harness.stop()
        #expect(Set(discord.received.filter(\.isIdentify).compactMap(\.shard)) == [[2, 4], [3, 4]])
    }

    @Test func anInteractionReachesTheHandlerAndIsAnsweredOverREST() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "s", sequence: 1)
            try connection.sendRaw(InteractionFixtures.slashCommand(sequence: 2, interactionID: "555", token: "itok"))
            try connection.serve(for: .seconds(5))
        }
        discord.router.route("POST", "/api/v10/interactions/555/itok/callback") { _ in .status(204) }
        let harness = try Harness(discord, handler: NotAvailableYetHandler())
        var answered = false
        for _ in 0..<200 where !answered {
            answered = discord.restRequests.contains { $0.path.hasSuffix("/callback") }
            if !answered { try await Task.sleep(for: .milliseconds(25)) }
        }
        _ = await harness.stop()
        let callback = try #require(discord.restRequests.first { $0.path.hasSuffix("/callback") })
        #expect(callback.headers["Authorization"] == "Bot test-token")
        let body = try JSONSerialization.jsonObject(with: callback.body) as? [String: Any]
        #expect(body?["type"] as? Int == 4)
        #expect((body?["data"] as? [String: Any])?["flags"] as? Int == 64)
    }
}
