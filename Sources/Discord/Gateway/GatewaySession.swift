/// The gateway protocol for one shard, as a state machine with no I/O: the driver feeds it what
/// happened (`Event`) and performs what it returns (`Action`). Every rule of the session lives here,
/// so it is tested without sockets or clocks.
///
///     idle → connecting → waitingForHello → connected(waitingForIdentifySlot → identifying → ready)
///                                        ↘ connected(resuming → resumed)
///     any connected state → waitingToReconnect → connecting …   (close, zombie, op 7, op 9)
///     any state → stopped(reason)                               (shutdown, fatal close code)
///
/// What outlives a connection is `session` (id, resume URL, sequence) and the failure count; heartbeat
/// bookkeeping lives in `.connected`, the only state where a heartbeat runs. An event the driver can never
/// send in a state (a timer it cancelled, a connection event before it connected) is a driver bug:
/// an assertion in debug builds, ignored in release. What Discord sends is never a bug of ours: anything
/// out of order from the server is ignored.
public struct GatewaySession: Sendable {
    public enum Intent: Sendable, Equatable {
        case identify
        case resume
    }

    public enum StopReason: Sendable, Equatable {
        case requested
        case fatal(code: UInt16, message: String)
    }

    /// A session Discord can resume: everything a Resume needs.
    public struct Session: Sendable, Equatable {
        public var id: String
        /// `resume_gateway_url` from READY: where a resume must connect.
        public var resumeURL: String
        /// The last sequence number received; heartbeats and Resume carry it.
        public var sequence: Int?

        public init(id: String, resumeURL: String, sequence: Int?) {
            self.id = id
            self.resumeURL = resumeURL
            self.sequence = sequence
        }
    }

    /// The heartbeat of the current connection, which starts with Hello.
    public struct Heartbeat: Sendable, Equatable {
        public var interval: Duration
        /// A beat went out and its ACK has not come back.
        var awaitingAck: Bool

        public init(interval: Duration, awaitingAck: Bool = false) {
            self.interval = interval
            self.awaitingAck = awaitingAck
        }
    }

    /// Where a connection that has said Hello is in the protocol.
    public enum Phase: Sendable, Equatable {
        /// Waiting for the identify queue (max_concurrency, daily budget).
        case waitingForIdentifySlot
        case identifying
        case resuming
        case ready
        case resumed
    }

    public enum State: Sendable, Equatable {
        case idle
        case connecting(attempt: Int, intent: Intent)
        case waitingForHello(intent: Intent)
        /// Hello received: heartbeating.
        case connected(Phase, Heartbeat)
        case waitingToReconnect(intent: Intent)
        case stopped(StopReason)

        /// A WebSocket is open in this state.
        var isConnected: Bool {
            switch self {
            case .waitingForHello, .connected: true
            case .idle, .connecting, .waitingToReconnect, .stopped: false
            }
        }

        /// The protocol phase, once Hello has come.
        public var phase: Phase? {
            if case .connected(let phase, _) = self { return phase }
            return nil
        }
    }

    public enum Event: Sendable, Equatable {
        case start
        case connected
        case connectFailed(reason: String)
        case hello(GatewayHello)
        /// The identify queue says this shard may identify now (max_concurrency, daily budget).
        case identifySlotGranted
        case ready(ReadyPayload, sequence: Int?)
        case resumed(sequence: Int?)
        /// Any other dispatch: its sequence is recorded, then it is handed back to deliver.
        case dispatch(GatewayDispatch)
        case heartbeatAck
        /// op 1 from the server: beat now.
        case heartbeatRequested
        /// op 7.
        case reconnectRequested
        /// op 9.
        case invalidSession(resumable: Bool)
        case closed(code: UInt16?, reason: String)
        case heartbeatDue
        case reconnectDelayElapsed
        case stop
    }

    public enum Action: Sendable, Equatable {
        case connect(url: String)
        case requestIdentifySlot
        case send(GatewayCommand)
        case scheduleHeartbeat(after: Duration)
        case cancelHeartbeat
        case close(code: UInt16, reason: String)
        case scheduleReconnect(after: Duration)
        /// Hand a dispatch to the application; its sequence is already recorded.
        case deliver(GatewayDispatch)
        case report(GatewayStatus)
    }

    public struct Configuration: Sendable, Equatable {
        public var token: String
        public var intents: UInt64
        public var shard: ShardID
        /// From `GET /gateway/bot`, e.g. `wss://gateway.discord.gg`.
        public var gatewayURL: String
        public var compress: Bool
        public var properties: IdentifyProperties
        public var backoff: Backoff
        /// How long to wait after op 9 before trying again (Discord asks for a random 1–5 s).
        public var invalidSessionDelay: ClosedRange<Double>
        /// A connection that has not sent Hello by then is dropped and tried again.
        var helloTimeout: Duration = .seconds(20)

        public init(
            token: String, intents: UInt64 = 0, shard: ShardID = ShardID(index: 0, count: 1), gatewayURL: String,
            compress: Bool = false, properties: IdentifyProperties = IdentifyProperties(), backoff: Backoff = Backoff(),
            invalidSessionDelay: ClosedRange<Double> = 1...5
        ) {
            self.token = token
            self.intents = intents
            self.shard = shard
            self.gatewayURL = gatewayURL
            self.compress = compress
            self.properties = properties
            self.backoff = backoff
            self.invalidSessionDelay = invalidSessionDelay
        }
    }

    public let configuration: Configuration
    public private(set) var state: State = .idle
    /// The session to resume, from READY until Discord says it cannot be resumed.
    public private(set) var session: Session?
    /// Reconnects since the last READY or RESUMED: drives the backoff.
    public private(set) var failedAttempts = 0
    private let random: @Sendable () -> Double

    /// `random` returns a number in [0, 1): heartbeat jitter and backoff. Tests pass a constant.
    public init(configuration: Configuration, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.random = random
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.stopped, .connected):
            return [.close(code: GatewayCloseCode.clientShutdown, reason: "shutting down")]
        case (.stopped, _):
            return []  // a connection attempt or a second stop that was already under way
        case (_, .stop):
            return stop()
        case (.idle, .start):
            return connect(.identify)
        case (.connecting(_, let intent), .connected):
            state = .waitingForHello(intent: intent)
            return []
        case (.connecting(_, let intent), .connectFailed(let reason)):
            return reconnect(intent, reason: "the connection failed: \(reason)")
        case (.waitingToReconnect(let intent), .reconnectDelayElapsed):
            return connect(intent)
        case (.waitingForHello(let intent), _):
            return handleBeforeHello(event, intent: intent)
        case (.connected(let phase, let heartbeat), _):
            return handleConnected(event, phase: phase, heartbeat: heartbeat)
        case (.idle, _), (.connecting, _), (.waitingToReconnect, _):
            return impossible(event)
        }
    }

    // MARK: - Connected states

    private mutating func handleBeforeHello(_ event: Event, intent: Intent) -> [Action] {
        switch event {
        case .hello(let hello):
            let heartbeat = Heartbeat(interval: .milliseconds(max(hello.heartbeatInterval, 1)))
            // The first beat waits interval × jitter so that shards reconnecting together spread out.
            let first = Action.scheduleHeartbeat(after: heartbeat.interval * random())
            if intent == .resume, let session {
                state = .connected(.resuming, heartbeat)
                return [first, .send(.resume(ResumePayload(token: configuration.token, sessionID: session.id, sequence: session.sequence)))]
            }
            state = .connected(.waitingForIdentifySlot, heartbeat)
            return [first, .requestIdentifySlot]

        case .closed(let code, let reason):
            return reconnect(intent, reason: Self.describeClose(code: code, reason: reason))

        case .dispatch, .ready, .resumed, .heartbeatAck, .heartbeatRequested, .reconnectRequested, .invalidSession:
            return handleFromServer(event)

        case .heartbeatDue, .identifySlotGranted, .start, .connected, .connectFailed, .reconnectDelayElapsed, .stop:
            return impossible(event)  // timers and the identify slot only start with Hello
        }
    }

    private mutating func handleConnected(_ event: Event, phase: Phase, heartbeat: Heartbeat) -> [Action] {
        switch event {
        case .hello:
            return []  // a second Hello: the heartbeat already runs

        case .identifySlotGranted:
            // Another phase: the server answered something out of order meanwhile; the slot goes unused.
            guard phase == .waitingForIdentifySlot else { return [] }
            state = .connected(.identifying, heartbeat)
            return [.send(.identify(IdentifyPayload(
                token: configuration.token, intents: configuration.intents,
                properties: configuration.properties, shard: configuration.shard
            )))]

        case .heartbeatDue:
            if heartbeat.awaitingAck {
                // No ACK since the last beat: the connection is a zombie. Close with a code that keeps the session, then resume.
                return [.close(code: GatewayCloseCode.clientZombieConnection, reason: "no heartbeat ACK")]
                    + reconnect(.resume, reason: "Discord did not acknowledge the last heartbeat (zombie connection)")
            }
            state = .connected(phase, Heartbeat(interval: heartbeat.interval, awaitingAck: true))
            // The next beat is timed from this one being due, not from when the send gets through.
            return [.scheduleHeartbeat(after: heartbeat.interval), .send(.heartbeat(sequence: session?.sequence))]

        case .heartbeatAck:
            state = .connected(phase, Heartbeat(interval: heartbeat.interval, awaitingAck: false))
            return []

        case .closed(let code, let reason):
            let described = Self.describeClose(code: code, reason: reason)
            switch GatewayCloseCode.disposition(of: code) {
            case .resume:
                return reconnect(.resume, reason: described)
            case .identify:
                session = nil
                return reconnect(.identify, reason: described + "; the session cannot be resumed")
            case .fatal(let message):
                state = .stopped(.fatal(code: code ?? 0, message: message))
                return [.cancelHeartbeat, .report(.gaveUp(shard: configuration.shard, reason: message))]
            }

        case .dispatch, .ready, .resumed, .heartbeatRequested, .reconnectRequested, .invalidSession:
            return handleFromServer(event)

        case .start, .connected, .connectFailed, .reconnectDelayElapsed, .stop:
            return impossible(event)
        }
    }

    /// What the server may send on any open connection, before or after Hello.
    private mutating func handleFromServer(_ event: Event) -> [Action] {
        switch event {
        case .ready(let ready, let sequence):
            session = Session(id: ready.sessionID, resumeURL: ready.resumeGatewayURL, sequence: sequence ?? session?.sequence)
            enterPhase(.ready)
            failedAttempts = 0
            return [.report(.ready(shard: configuration.shard, sessionID: ready.sessionID, user: ready.user.username))]

        case .resumed(let sequence):
            if let sequence { session?.sequence = sequence }
            enterPhase(.resumed)
            failedAttempts = 0
            return [.report(.resumed(shard: configuration.shard, sequence: session?.sequence))]

        case .dispatch(let dispatch):
            // Recorded first: a handler that reacts to the dispatch already sees the session past it.
            if let sequence = dispatch.sequence { session?.sequence = sequence }
            return [.deliver(dispatch)]

        case .heartbeatAck:
            return []  // before Hello there is no beat to acknowledge

        case .heartbeatRequested:
            return [.send(.heartbeat(sequence: session?.sequence))]

        case .reconnectRequested:
            return [.close(code: GatewayCloseCode.clientReconnect, reason: "reconnect requested")]
                + reconnect(.resume, reason: "Discord asked for a reconnect (op 7)", delay: .zero)

        case .invalidSession(let resumable):
            let delay = invalidSessionDelay()
            if resumable {
                return [.close(code: GatewayCloseCode.clientReconnect, reason: "invalid session, resuming")]
                    + reconnect(.resume, reason: "Discord invalidated the session but allows a resume (op 9)", delay: delay)
            }
            session = nil
            return [.close(code: GatewayCloseCode.clientReconnect, reason: "invalid session")]
                + reconnect(.identify, reason: "Discord invalidated the session (op 9); starting a new one", delay: delay)

        default:
            return impossible(event)
        }
    }

    // MARK: - Transitions shared by several events

    /// READY or RESUMED: keeps the heartbeat of a connection that already said Hello.
    private mutating func enterPhase(_ phase: Phase) {
        switch state {
        case .connected(_, let heartbeat):
            state = .connected(phase, heartbeat)
        default:
            // Before Hello: no heartbeat runs yet; Hello (if it ever comes) starts it.
            break
        }
    }

    private mutating func connect(_ intent: Intent) -> [Action] {
        let attempt = failedAttempts + 1
        let resumeURL = intent == .resume ? session?.resumeURL : nil
        let url = GatewayURL.connectionURL(base: resumeURL ?? configuration.gatewayURL, compress: configuration.compress)
        state = .connecting(attempt: attempt, intent: resumeURL == nil ? .identify : .resume)
        return [
            .report(.connecting(shard: configuration.shard, url: url, resuming: resumeURL != nil, attempt: attempt)),
            .connect(url: url),
        ]
    }

    /// Leaves the current connection (the caller closes it if needed) and waits before connecting again.
    private mutating func reconnect(_ intent: Intent, reason: String, delay: Duration? = nil) -> [Action] {
        let wait = delay ?? configuration.backoff.delay(attempt: failedAttempts, unit: random())
        failedAttempts += 1
        state = .waitingToReconnect(intent: intent)
        // Reported after the timer is set: whoever reads the report (a test advancing a clock) finds it running.
        return [
            .cancelHeartbeat,
            .scheduleReconnect(after: wait),
            .report(.reconnecting(shard: configuration.shard, reason: reason, after: wait)),
        ]
    }

    private mutating func stop() -> [Action] {
        // A socket still opening is closed by the driver when `.connected` arrives in `.stopped`.
        let wasConnected = state.isConnected
        state = .stopped(.requested)
        var actions: [Action] = [.cancelHeartbeat]
        if wasConnected { actions.append(.close(code: GatewayCloseCode.clientShutdown, reason: "shutting down")) }
        actions.append(.report(.stopped(shard: configuration.shard)))
        return actions
    }

    /// An event the driver cannot send in this state: its bug, not Discord's.
    private func impossible(_ event: Event) -> [Action] {
        assertionFailure("GatewaySession: \(event) cannot happen in \(state)")
        return []
    }

    private static func describeClose(code: UInt16?, reason: String) -> String {
        "Discord closed the connection (\(code.map { "code \($0)" } ?? "no close code")\(reason.isEmpty ? "" : ": \(reason)"))"
    }

    private func invalidSessionDelay() -> Duration {
        let range = configuration.invalidSessionDelay
        return .milliseconds(Int((range.lowerBound + (range.upperBound - range.lowerBound) * random()) * 1000))
    }
}

extension GatewaySession.Event {
    /// The event a decoded frame is, or nil for one the session has no use for (an opcode a client never
    /// receives, a READY it cannot read).
    public init?(_ message: GatewayMessage) {
        switch message {
        case .hello(let hello): self = .hello(hello)
        case .heartbeatRequest: self = .heartbeatRequested
        case .heartbeatAck: self = .heartbeatAck
        case .reconnect: self = .reconnectRequested
        case .invalidSession(let resumable): self = .invalidSession(resumable: resumable)
        case .other: return nil
        case .dispatch(let dispatch):
            switch dispatch.name {
            case "READY":
                guard let ready = try? dispatch.decodeData(ReadyPayload.self) else { return nil }
                self = .ready(ready, sequence: dispatch.sequence)
            case "RESUMED":
                self = .resumed(sequence: dispatch.sequence)
            default:
                self = .dispatch(dispatch)
            }
        }
    }
}
