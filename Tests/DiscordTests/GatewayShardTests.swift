import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// The shard driver against an in-memory Discord: the test plays the gateway frame by frame and moves a
/// manual clock, so heartbeats, backoff and timeouts fire exactly when time is advanced, without sleeping.
@Suite struct GatewayShardTests {
    /// One shard on an in-memory gateway and a manual clock; "random" is 0.5, so the first beat comes at half
    /// the interval and backoff waits are ¾ of their ceiling.
    final class Harness: Sendable {
        let clock = ManualClock()
        let gateway: InMemoryGatewayConnector
        let shard: GatewayShard
        let statuses = AsyncMailbox<GatewayStatus>()
        let dispatches = AsyncMailbox<GatewayDispatch>()
        let run: Task<GatewaySession.StopReason, Never>

        init(compress: Bool = false) {
            let clock = self.clock
            gateway = InMemoryGatewayConnector(now: { clock.elapsedSeconds })
            var configuration = GatewaySession.Configuration(token: "test-token", gatewayURL: "wss://gateway.example", compress: compress)
            configuration.helloTimeout = .seconds(20)
            let statuses = self.statuses
            let dispatches = self.dispatches
            shard = GatewayShard(
                configuration: configuration, connector: gateway,
                identifyQueue: IdentifyQueue(limit: SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 86_400_000, maxConcurrency: 1), bucketInterval: 0),
                random: { 0.5 }, timer: GatewayTimer(clock: clock),
                onStatus: { statuses.send($0) }, onDispatch: { dispatches.send($0) }
            )
            let shard = self.shard
            run = Task { await shard.run() }
        }

        /// The next status `match` accepts, skipping others.
        func status<T>(_ what: String, _ match: (GatewayStatus) -> T?) async throws -> T {
            try await statuses.next(what, match)
        }

        func reconnecting() async throws -> (reason: String, after: Duration) {
            try await status("a reconnect") { if case .reconnecting(_, let reason, let after) = $0 { (reason, after) } else { nil } }
        }

        func nextDispatch() async throws -> GatewayDispatch {
            try await dispatches.next("a dispatch") { $0 }
        }

        /// Connects, says Hello (interval 40 s) and answers the identify with READY at `sequence`.
        func readyConnection(sessionID: String = "session-1", sequence: Int = 1) async throws -> InMemoryGatewayPeer {
            let peer = try await gateway.nextConnection()
            peer.sendHello(heartbeatInterval: 40_000)
            _ = try await peer.next(op: 2)
            peer.sendReady(sessionID: sessionID, sequence: sequence)
            _ = try await status("READY") { if case .ready = $0 { true } else { nil } }
            return peer
        }

        func stop() async -> GatewaySession.StopReason {
            await shard.stop()
            return await run.value
        }
    }

    @Test func identifiesThenBeatsWithTheLatestSequenceAtTheInterval() async throws {
        let harness = Harness()
        let peer = try await harness.gateway.nextConnection()
        #expect(peer.url == "wss://gateway.example/?v=10&encoding=json")
        peer.sendHello(heartbeatInterval: 40_000)
        let identify = try await peer.next(op: 2)
        #expect(identify.token == "test-token")
        #expect(identify.shard == [0, 1])
        #expect(identify.intents == 0)
        peer.sendReady(sessionID: "session-1", sequence: 1)
        peer.sendDispatch("GUILD_CREATE", sequence: 2, data: #"{"id":"1"}"#)
        #expect(try await harness.nextDispatch().name == "GUILD_CREATE")
        #expect(await harness.shard.resumable == GatewaySession.Session(id: "session-1", resumeURL: "wss://resume.example", sequence: 2))

        harness.clock.advance(by: .seconds(20))  // the first beat: interval × jitter (0.5)
        let first = try await peer.next(op: 1)  // acknowledged
        #expect(first.sequence == 2)
        #expect(first.time == 20)
        try await peer.roundTrip()  // the ACK is handled before the clock moves on
        harness.clock.advance(by: .seconds(40))
        let second = try await peer.next(op: 1)
        #expect(second.time == 60)
        #expect(second.sequence == 2)

        #expect(await harness.stop() == .requested)
        #expect(peer.clientClose?.code == 1000)
    }

    @Test func aDispatchIsDeliveredAndItsSequenceRecorded() async throws {
        let harness = Harness()
        let peer = try await harness.readyConnection()
        peer.sendDispatch("MESSAGE_CREATE", sequence: 5, data: "{}")
        let dispatch = try await harness.nextDispatch()
        #expect(dispatch.sequence == 5)
        #expect(await harness.shard.resumable?.sequence == 5)  // a resume now would carry it
        _ = await harness.stop()
    }

    @Test func aHeartbeatRequestIsAnsweredWithoutWaitingForTheTimer() async throws {
        let harness = Harness()
        let peer = try await harness.readyConnection(sequence: 4)
        peer.sendHeartbeatRequest()
        let beat = try await peer.next(op: 1)
        #expect(beat.sequence == 4)
        #expect(beat.time == 0)
        _ = await harness.stop()
    }

    @Test func aMissedAckIsAZombieClosedWithoutEndingTheSessionAndThenResumed() async throws {
        let harness = Harness()
        let first = try await harness.readyConnection(sessionID: "zombie-session", sequence: 3)
        harness.clock.advance(by: .seconds(20))
        _ = try await first.next(op: 1, acknowledgingHeartbeats: false)
        harness.clock.advance(by: .seconds(40))  // the next beat finds no ACK
        let close = try await first.awaitClose()
        #expect(close.code == GatewayCloseCode.clientZombieConnection)
        let reconnect = try await harness.reconnecting()
        #expect(reconnect.reason.contains("zombie"))
        #expect(reconnect.after == .milliseconds(750))  // backoff attempt 0: ¾ of 1 s

        harness.clock.advance(by: reconnect.after)
        let second = try await harness.gateway.nextConnection()
        #expect(second.url == "wss://resume.example/?v=10&encoding=json")
        second.sendHello(heartbeatInterval: 40_000)
        let resume = try await second.next(op: 6)
        #expect(resume.sessionID == "zombie-session")
        #expect(resume.sequence == 3)
        second.sendResumed(sequence: 4)
        #expect(try await harness.status("RESUMED") { if case .resumed(_, let sequence) = $0 { sequence } else { nil } } == 4)
        _ = await harness.stop()
        #expect(harness.gateway.received.filter(\.isIdentify).count == 1)
    }

    @Test func opSevenResumesAtOnceWithTheLatestSequence() async throws {
        let harness = Harness()
        let first = try await harness.readyConnection(sessionID: "s7", sequence: 5)
        first.sendDispatch("MESSAGE_CREATE", sequence: 6, data: "{}")
        first.sendReconnect()
        #expect(try await first.awaitClose().code == GatewayCloseCode.clientReconnect)
        #expect(try await harness.reconnecting().after == .zero)
        let second = try await harness.gateway.nextConnection()  // no time had to pass
        second.sendHello(heartbeatInterval: 40_000)
        let resume = try await second.next(op: 6)
        #expect(resume.sessionID == "s7")
        #expect(resume.sequence == 6)
        _ = await harness.stop()
    }

    @Test(arguments: [true, false])
    func invalidSessionWaitsThenResumesOrIdentifiesAfresh(resumable: Bool) async throws {
        let harness = Harness()
        let first = try await harness.readyConnection(sessionID: "s9", sequence: 2)
        first.sendInvalidSession(resumable: resumable)
        _ = try await first.awaitClose()
        let wait = try await harness.reconnecting().after
        #expect(wait == .seconds(3))  // Discord's 1–5 s, at "random" 0.5
        #expect(harness.gateway.attempts.count == 1)
        harness.clock.advance(by: wait)
        let second = try await harness.gateway.nextConnection()
        second.sendHello(heartbeatInterval: 40_000)
        if resumable {
            #expect(try await second.next(op: 6).sessionID == "s9")
        } else {
            #expect(second.url == "wss://gateway.example/?v=10&encoding=json")
            #expect(try await second.next(op: 2).token == "test-token")
            #expect(await harness.shard.resumable == nil)
        }
        _ = await harness.stop()
    }

    @Test func aServerCloseWith4000IsResumed() async throws {
        let harness = Harness()
        let first = try await harness.readyConnection(sessionID: "s4000", sequence: 8)
        first.close(code: 4000, reason: "Unknown error")
        let reconnect = try await harness.reconnecting()
        #expect(reconnect.reason.contains("4000"))
        harness.clock.advance(by: reconnect.after)
        let second = try await harness.gateway.nextConnection()
        second.sendHello(heartbeatInterval: 40_000)
        let resume = try await second.next(op: 6)
        #expect(resume.sessionID == "s4000")
        #expect(resume.sequence == 8)
        _ = await harness.stop()
    }

    @Test(arguments: [UInt16(4004), 4010, 4011, 4012, 4013, 4014])
    func fatalCloseCodesStopWithoutReconnecting(code: UInt16) async throws {
        let harness = Harness()
        let peer = try await harness.gateway.nextConnection()
        peer.sendHello(heartbeatInterval: 40_000)
        _ = try await peer.next(op: 2)
        peer.close(code: code, reason: "nope")
        guard case .fatal(let stoppedCode, let message) = await harness.run.value else {
            Issue.record("expected a fatal stop")
            return
        }
        #expect(stoppedCode == code)
        #expect(!message.isEmpty)
        harness.clock.advance(by: .seconds(3600))  // nothing is waiting to bring it back
        #expect(harness.gateway.attempts.count == 1)
        #expect(harness.clock.sleeping == 0)
    }

    @Test func failedConnectionsAreRetriedWithGrowingDelays() async throws {
        let harness = Harness()
        harness.gateway.refuse(next: 3)
        var waits: [Duration] = []
        for attempt in 1...3 {
            let reconnect = try await harness.reconnecting()
            #expect(reconnect.reason.contains("connection refused"))
            #expect(harness.gateway.attempts.count == attempt)  // the next try waits for the clock
            waits.append(reconnect.after)
            harness.clock.advance(by: reconnect.after)
        }
        // Backoff base 1 s doubling, at ¾ of each ceiling.
        #expect(waits == [.milliseconds(750), .milliseconds(1500), .seconds(3)])
        let peer = try await harness.gateway.nextConnection()
        #expect(harness.gateway.attempts.count == 4)
        peer.sendHello(heartbeatInterval: 40_000)
        _ = try await peer.next(op: 2)
        _ = await harness.stop()
    }

    @Test func aServerThatNeverSaysHelloIsLeftForANewConnection() async throws {
        let harness = Harness()
        let silent = try await harness.gateway.nextConnection()
        await harness.clock.waitForSleepers(1)  // the Hello timer
        harness.clock.advance(by: .seconds(20))
        #expect(try await silent.awaitClose().code == GatewayCloseCode.clientReconnect)
        let reconnect = try await harness.reconnecting()
        #expect(reconnect.reason.contains("no Hello"))
        harness.clock.advance(by: reconnect.after)
        let second = try await harness.gateway.nextConnection()
        second.sendHello(heartbeatInterval: 40_000)
        _ = try await second.next(op: 2)
        _ = await harness.stop()
    }

    @Test func stopWhileWaitingToReconnectEndsWithoutConnectingAgain() async throws {
        let harness = Harness()
        harness.gateway.refuse(next: 1)
        _ = try await harness.reconnecting()
        #expect(await harness.stop() == .requested)
        harness.clock.advance(by: .seconds(60))
        #expect(harness.gateway.attempts.count == 1)
    }

    // Hello, Ready and a GUILD_CREATE deflated as one zlib stream with a sync flush after each (made with Python's zlib).
    static let zlibHello = "eJyqVsovULIyNNBRSlGyqlbKSE0sKklKTSyJz8wrSS0qS8xRsjIzAIJaHaViJau80pwcHaUSCKMWAAAA//8="
    static let zlibReady = "RI7NCsIwEITfZc9qm6s3QV/Am4iEbVk0kKQhm1h/6Lu7SQMe59vZmfnW375eVMVwPh2OF2hhzzWYidlMXhuB8LFm2DYivkicHek7JprxrXOUPpiZ9123nnb0QhcsiTczxRJbc1QDHh2JHC36YUogMzEEa0ZMpeDvLvsfGEVc+426LcsPAAD//w=="
    static let zlibGuildCreate = "Qna8EcTx7qGePi7xzkA/hLjC/ADWbqpUWwsAAAD//w=="

    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64) ?? Data()) }

    /// zlib-stream: one inflate context across messages, a message split over two frames, the flush marker ending each.
    @Test func inflatesAZlibStreamAcrossMessagesAndFrames() async throws {
        let harness = Harness(compress: true)
        let peer = try await harness.gateway.nextConnection()
        #expect(peer.url == "wss://gateway.example/?v=10&encoding=json&compress=zlib-stream")
        peer.sendBinary(Self.bytes(Self.zlibHello))
        _ = try await peer.next(op: 2)
        let ready = Self.bytes(Self.zlibReady)
        peer.sendBinary(Array(ready.prefix(40)))  // no flush marker yet: nothing to decode
        peer.sendBinary(Array(ready.dropFirst(40)))
        peer.sendBinary(Self.bytes(Self.zlibGuildCreate))
        #expect(try await harness.nextDispatch().name == "GUILD_CREATE")
        #expect(await harness.shard.state.phase == .ready)
        #expect(await harness.shard.resumable?.id == "zlib-session")
        #expect(await harness.shard.resumable?.sequence == 2)
        #expect(await harness.stop() == .requested)
    }
}
