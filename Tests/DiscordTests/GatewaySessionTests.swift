import Foundation
import Testing
@testable import Discord

/// The gateway state machine, driven event by event with a fixed "random" number.
@Suite struct GatewaySessionTests {
    static let shard = ShardID(index: 2, count: 4)
    static let ready = ReadyPayload(
        sessionID: "session-abc", resumeGatewayURL: "wss://resume.example",
        user: .init(id: 42, username: "clanbot"), application: .init(id: 7), shard: shard
    )

    func makeSession(random: Double = 0.5) -> GatewaySession {
        GatewaySession(
            configuration: .init(token: "tok", shard: Self.shard, gatewayURL: "wss://gateway.example"),
            random: { random }
        )
    }

    /// A session that has identified and received READY with sequence 1.
    func readySession(random: Double = 0.5) -> GatewaySession {
        var session = makeSession(random: random)
        _ = session.handle(.start)
        _ = session.handle(.connected)
        _ = session.handle(.hello(GatewayHello(heartbeatInterval: 40_000)))
        _ = session.handle(.identifySlotGranted)
        _ = session.handle(.ready(Self.ready, sequence: 1))
        return session
    }

    static let beat40s = GatewaySession.Heartbeat(interval: .milliseconds(40_000))

    func dispatch(_ sequence: Int?, _ name: String = "MESSAGE_CREATE") -> GatewaySession.Event {
        .dispatch(GatewayDispatch(sequence: sequence, name: name, frame: Data()))
    }

    func sentCommands(_ actions: [GatewaySession.Action]) -> [GatewayCommand] {
        actions.compactMap { if case .send(let command) = $0 { command } else { nil } }
    }

    func closeCode(_ actions: [GatewaySession.Action]) -> UInt16? {
        actions.compactMap { if case .close(let code, _) = $0 { code } else { nil } }.first
    }

    func reconnectDelay(_ actions: [GatewaySession.Action]) -> Duration? {
        actions.compactMap { if case .scheduleReconnect(let after) = $0 { after } else { nil } }.first
    }

    @Test func startConnectsToTheGatewayWithVersionAndEncoding() {
        var session = makeSession()
        let actions = session.handle(.start)
        #expect(actions.contains(.connect(url: "wss://gateway.example/?v=10&encoding=json")))
        #expect(session.state == .connecting(attempt: 1, intent: .identify))
    }

    @Test func helloSchedulesTheFirstBeatWithJitterThenIdentifiesWhenTheQueueAllows() {
        var session = makeSession(random: 0.25)
        _ = session.handle(.start)
        _ = session.handle(.connected)
        let afterHello = session.handle(.hello(GatewayHello(heartbeatInterval: 40_000)))
        #expect(afterHello == [.scheduleHeartbeat(after: .milliseconds(10_000)), .requestIdentifySlot])
        #expect(session.state == .connected(.waitingForIdentifySlot, Self.beat40s))

        let afterSlot = session.handle(.identifySlotGranted)
        guard case .identify(let identify)? = sentCommands(afterSlot).first else {
            Issue.record("expected identify, got \(afterSlot)")
            return
        }
        #expect(identify.token == "tok")
        #expect(identify.intents == 0)
        #expect(identify.shard == Self.shard)
        #expect(session.state == .connected(.identifying, Self.beat40s))
    }

    @Test func readyRecordsTheSessionAndLaterDispatchesAdvanceTheSequence() {
        var session = readySession()
        #expect(session.state == .connected(.ready, Self.beat40s))
        #expect(session.session == GatewaySession.Session(id: "session-abc", resumeURL: "wss://resume.example", sequence: 1))
        _ = session.handle(dispatch(5))
        _ = session.handle(dispatch(nil))  // events without a sequence leave it alone
        #expect(session.session?.sequence == 5)
    }

    @Test func aDispatchIsHandedBackForDeliveryAfterItsSequenceIsRecorded() {
        var session = readySession()
        let frame = GatewayDispatch(sequence: 7, name: "INTERACTION_CREATE", frame: Data(#"{"op":0}"#.utf8))
        #expect(session.handle(.dispatch(frame)) == [.deliver(frame)])
        #expect(session.session?.sequence == 7)
    }

    @Test func decodedFramesBecomeEvents() throws {
        let ready = #"{"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"s","resume_gateway_url":"wss://r","user":{"id":"1","username":"u"}}}"#
        let event = try #require(GatewaySession.Event(GatewayFrameCodec.decode(Data(ready.utf8))))
        guard case .ready(let payload, let sequence) = event else {
            Issue.record("expected READY, got \(event)")
            return
        }
        #expect(payload.sessionID == "s")
        #expect(sequence == 1)
        let create = Data(#"{"op":0,"s":2,"t":"GUILD_CREATE","d":{}}"#.utf8)
        #expect(GatewaySession.Event(try GatewayFrameCodec.decode(create)) == .dispatch(GatewayDispatch(sequence: 2, name: "GUILD_CREATE", frame: create)))
        #expect(GatewaySession.Event(try GatewayFrameCodec.decode(Data(#"{"op":0,"s":3,"t":"RESUMED","d":{}}"#.utf8))) == .resumed(sequence: 3))
        #expect(GatewaySession.Event(try GatewayFrameCodec.decode(Data(#"{"op":3,"d":{}}"#.utf8))) == nil)
        // A READY the session cannot read is skipped rather than delivered as an ordinary dispatch.
        #expect(GatewaySession.Event(try GatewayFrameCodec.decode(Data(#"{"op":0,"s":1,"t":"READY","d":{}}"#.utf8))) == nil)
    }

    @Test func heartbeatsCarryTheSequenceAndRepeatAtTheInterval() {
        var session = readySession()
        _ = session.handle(dispatch(9))
        let beat = session.handle(.heartbeatDue)
        #expect(beat == [.scheduleHeartbeat(after: .milliseconds(40_000)), .send(.heartbeat(sequence: 9))])
        #expect(session.state == .connected(.ready, .init(interval: .milliseconds(40_000), awaitingAck: true)))
        _ = session.handle(.heartbeatAck)
        #expect(session.state == .connected(.ready, Self.beat40s))
        #expect(sentCommands(session.handle(.heartbeatDue)) == [.heartbeat(sequence: 9)])
    }

    @Test func aHeartbeatRequestIsAnsweredAtOnce() {
        var session = readySession()
        #expect(session.handle(.heartbeatRequested) == [.send(.heartbeat(sequence: 1))])
    }

    @Test func aMissingAckBeforeTheNextBeatClosesAsZombieAndResumes() {
        var session = readySession()
        _ = session.handle(.heartbeatDue)  // beat, no ACK follows
        let actions = session.handle(.heartbeatDue)
        let code = closeCode(actions)
        #expect(code == GatewayCloseCode.clientZombieConnection)
        #expect(code != 1000 && code != 1001)
        #expect(actions.contains(.cancelHeartbeat))
        #expect(session.state == .waitingToReconnect(intent: .resume))
        #expect(sentCommands(actions).isEmpty)

        // Reconnect goes to resume_gateway_url and sends Resume with the session and sequence.
        let connect = session.handle(.reconnectDelayElapsed)
        #expect(connect.contains(.connect(url: "wss://resume.example/?v=10&encoding=json")))
        _ = session.handle(.connected)
        let hello = session.handle(.hello(GatewayHello(heartbeatInterval: 40_000)))
        #expect(sentCommands(hello) == [.resume(ResumePayload(token: "tok", sessionID: "session-abc", sequence: 1))])
        #expect(session.state.phase == .resuming)
        let resumed = session.handle(.resumed(sequence: nil))
        #expect(resumed == [.report(.resumed(shard: Self.shard, sequence: 1))])
        // The new connection's heartbeat starts afresh: the missed ACK stayed with the old one.
        #expect(session.state == .connected(.resumed, Self.beat40s))
        #expect(session.failedAttempts == 0)
    }

    @Test func opSevenClosesWithoutEndingTheSessionAndResumesImmediately() {
        var session = readySession()
        let actions = session.handle(.reconnectRequested)
        #expect(closeCode(actions) == GatewayCloseCode.clientReconnect)
        #expect(reconnectDelay(actions) == .zero)
        #expect(session.state == .waitingToReconnect(intent: .resume))
        #expect(session.session?.id == "session-abc")
    }

    @Test func resumableInvalidSessionWaitsOneToFiveSecondsThenResumes() {
        for random in [0.0, 0.5, 0.999] {
            var session = readySession(random: random)
            let actions = session.handle(.invalidSession(resumable: true))
            let delay = reconnectDelay(actions) ?? .zero
            #expect(delay >= .seconds(1) && delay <= .seconds(5))
            #expect(session.state == .waitingToReconnect(intent: .resume))
            #expect(session.session != nil)
        }
    }

    @Test func nonResumableInvalidSessionForgetsTheSessionAndIdentifiesAfterADelay() {
        var session = readySession(random: 0.5)
        let actions = session.handle(.invalidSession(resumable: false))
        let delay = reconnectDelay(actions) ?? .zero
        #expect(delay == .seconds(3))
        #expect(session.session == nil)
        let connect = session.handle(.reconnectDelayElapsed)
        #expect(connect.contains(.connect(url: "wss://gateway.example/?v=10&encoding=json")))
        _ = session.handle(.connected)
        #expect(session.handle(.hello(GatewayHello(heartbeatInterval: 1000))).contains(.requestIdentifySlot))
    }

    @Test func recoverableCloseCodesResume() {
        for code: UInt16? in [4000, 4001, 4002, 4003, 4005, 4008, 1000, 1001, 1006, nil] {
            var session = readySession()
            _ = session.handle(.closed(code: code, reason: ""))
            #expect(session.state == .waitingToReconnect(intent: .resume), "close code \(String(describing: code))")
            #expect(session.session?.id == "session-abc")
        }
    }

    @Test func invalidSequenceAndSessionTimeoutStartANewSession() {
        for code: UInt16 in [4007, 4009] {
            var session = readySession()
            _ = session.handle(.closed(code: code, reason: ""))
            #expect(session.state == .waitingToReconnect(intent: .identify))
            #expect(session.session == nil)
        }
    }

    @Test func fatalCloseCodesStopWithAMessageThatSaysWhatToFix() {
        let expectations: [UInt16: String] = [
            4004: "DISCORD_TOKEN", 4010: "--shards", 4011: "shards", 4012: "v10", 4013: "intents", 4014: "Privileged Gateway Intents",
        ]
        for (code, hint) in expectations {
            var session = readySession()
            let actions = session.handle(.closed(code: code, reason: "nope"))
            guard case .stopped(.fatal(let stoppedCode, let message)) = session.state else {
                Issue.record("close \(code) did not stop the session: \(session.state)")
                continue
            }
            #expect(stoppedCode == code)
            #expect(message.contains(hint), "message for \(code): \(message)")
            #expect(reconnectDelay(actions) == nil)
            #expect(actions.contains(.report(.gaveUp(shard: Self.shard, reason: message))))
            // Nothing brings it back.
            #expect(session.handle(.reconnectDelayElapsed).isEmpty)
            #expect(session.handle(.start).isEmpty)
        }
    }

    @Test func failedConnectsBackOffExponentiallyWithinJitterBounds() {
        var session = makeSession(random: 0.999)
        _ = session.handle(.start)
        var delays: [Duration] = []
        for _ in 0..<8 {
            let actions = session.handle(.connectFailed(reason: "refused"))
            delays.append(reconnectDelay(actions) ?? .zero)
            _ = session.handle(.reconnectDelayElapsed)
        }
        for (attempt, delay) in delays.enumerated() {
            let ceiling = min(Duration.seconds(60), .seconds(1) * (1 << attempt))
            #expect(delay >= ceiling * 0.5 && delay <= ceiling, "attempt \(attempt): \(delay)")
        }
        #expect(delays.last == .seconds(60) * 0.9995)
        if case .connecting(let attempt, _) = session.state { #expect(attempt == 9) } else { Issue.record("\(session.state)") }
    }

    @Test func readyResetsTheBackoff() {
        var session = makeSession(random: 0)
        _ = session.handle(.start)
        _ = session.handle(.connectFailed(reason: "x"))
        _ = session.handle(.reconnectDelayElapsed)
        _ = session.handle(.connectFailed(reason: "x"))
        #expect(session.failedAttempts == 2)
        _ = session.handle(.reconnectDelayElapsed)
        _ = session.handle(.connected)
        _ = session.handle(.hello(GatewayHello(heartbeatInterval: 1000)))
        _ = session.handle(.identifySlotGranted)
        _ = session.handle(.ready(Self.ready, sequence: 1))
        #expect(session.failedAttempts == 0)
    }

    @Test func aResumeWithoutASessionIdentifiesInstead() {
        var session = makeSession()
        _ = session.handle(.start)
        _ = session.handle(.connected)
        _ = session.handle(.closed(code: 4000, reason: "before hello"))
        _ = session.handle(.reconnectDelayElapsed)
        _ = session.handle(.connected)
        #expect(session.handle(.hello(GatewayHello(heartbeatInterval: 1000))).contains(.requestIdentifySlot))
    }

    @Test func stopClosesWithNormalClosureAndIgnoresEverythingAfter() {
        var session = readySession()
        let actions = session.handle(.stop)
        #expect(closeCode(actions) == 1000)
        #expect(session.state == .stopped(.requested))
        #expect(session.handle(.heartbeatDue).isEmpty)
        #expect(session.handle(.closed(code: 1000, reason: "")).isEmpty)
    }

    @Test func stopWhileConnectingClosesTheSocketOnceItOpens() {
        var session = makeSession()
        _ = session.handle(.start)
        #expect(closeCode(session.handle(.stop)) == nil)
        #expect(closeCode(session.handle(.connected)) == 1000)
    }

    @Test func whatTheServerSendsOutOfOrderIsIgnored() {
        var session = readySession()
        let before = session.state
        #expect(session.handle(.hello(GatewayHello(heartbeatInterval: 1000))).isEmpty)  // a second Hello
        #expect(session.handle(.identifySlotGranted).isEmpty)  // a slot that came after READY
        #expect(session.state == before)

        // READY before the identify slot: the slot goes unused rather than identifying twice.
        var early = makeSession()
        _ = early.handle(.start)
        _ = early.handle(.connected)
        _ = early.handle(.hello(GatewayHello(heartbeatInterval: 40_000)))
        _ = early.handle(.ready(Self.ready, sequence: 1))
        #expect(early.handle(.identifySlotGranted).isEmpty)
        #expect(early.state == .connected(.ready, Self.beat40s))
    }

    /// Events the driver never sends in these states (a cancelled timer, a connection event without a
    /// connection): an assertion in debug builds, so a driver bug shows up in tests.
    @Test(arguments: [
        "heartbeat before Hello", "heartbeat while reconnecting", "Hello while connecting", "connected twice",
    ])
    func eventsTheDriverCannotSendAreAssertions(_ situation: String) async {
        await #expect(processExitsWith: .failure) { [situation] in
            var session = GatewaySession(configuration: .init(token: "t", gatewayURL: "wss://g.example"), random: { 0.5 })
            _ = session.handle(.start)
            switch situation {
            case "heartbeat before Hello":
                _ = session.handle(.connected)
                _ = session.handle(.heartbeatDue)
            case "heartbeat while reconnecting":
                _ = session.handle(.connectFailed(reason: "refused"))
                _ = session.handle(.heartbeatDue)
            case "Hello while connecting":
                _ = session.handle(.hello(GatewayHello(heartbeatInterval: 1000)))
            default:
                _ = session.handle(.connected)
                _ = session.handle(.connected)
            }
        }
    }

    @Test func compressionAddsZlibStreamToTheURL() {
        #expect(GatewayURL.connectionURL(base: "wss://g.example/?v=9", compress: true) == "wss://g.example/?v=10&encoding=json&compress=zlib-stream")
    }
}
