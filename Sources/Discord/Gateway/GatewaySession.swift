/// The gateway protocol for one shard, as a state machine with no I/O: the driver feeds it what
/// happened (`Event`) and performs what it returns (`Action`). Every rule of the session lives here,
/// so it is tested without sockets or clocks.
///
///     idle → connecting → waitingForHello → waitingForIdentifySlot → identifying → ready
///                                        ↘ resuming → resumed
///     any connected state → waitingToReconnect → connecting …   (close, zombie, op 7, op 9)
///     any state → stopped(reason)                               (shutdown, fatal close code)
public struct GatewaySession: Sendable {
    public enum Intent: Sendable, Equatable {
        case identify
        case resume
    }

    public enum StopReason: Sendable, Equatable {
        case requested
        case fatal(code: UInt16, message: String)
    }

    public enum State: Sendable, Equatable {
        case idle
        case connecting(attempt: Int, intent: Intent)
        case waitingForHello(intent: Intent)
        case waitingForIdentifySlot
        case identifying
        case resuming
        case ready
        case resumed
        case waitingToReconnect(intent: Intent)
        case stopped(StopReason)

        /// A WebSocket is open in this state.
        var isConnected: Bool {
            switch self {
            case .waitingForHello, .waitingForIdentifySlot, .identifying, .resuming, .ready, .resumed: true
            default: false
            }
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
        case dispatch(sequence: Int?)
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
        public var helloTimeout: Duration = .seconds(20)

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
    public private(set) var sessionID: String?
    public private(set) var resumeGatewayURL: String?
    /// The last sequence number received; heartbeats and Resume carry it.
    public private(set) var sequence: Int?
    public private(set) var heartbeatInterval: Duration?
    /// A heartbeat went out and its ACK has not come back.
    public private(set) var awaitingAck = false
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
            return []
        case (_, .stop):
            return stop()
        case (.idle, .start):
            return connect(.identify)
        case (.connecting(_, let intent), .connected):
            state = .waitingForHello(intent: intent)
            return []
        case (.connecting(_, let intent), .connectFailed(let reason)):
            return reconnect(intent, reason: "the connection failed: \(reason)")
        case (.connecting(_, let intent), .closed(_, let reason)):
            return reconnect(intent, reason: "the connection closed while opening: \(reason)")
        case (.waitingToReconnect(let intent), .reconnectDelayElapsed):
            return connect(intent)
        case (let current, _) where current.isConnected:
            return handleConnected(event)
        default:
            return []  // stale timer or late event for a connection already given up
        }
    }

    // MARK: - Connected states

    private mutating func handleConnected(_ event: Event) -> [Action] {
        switch event {
        case .hello(let hello):
            guard case .waitingForHello(let intent) = state else { return [] }
            let interval = Duration.milliseconds(max(hello.heartbeatInterval, 1))
            heartbeatInterval = interval
            awaitingAck = false
            // The first beat waits interval × jitter so that shards reconnecting together spread out.
            var actions: [Action] = [.scheduleHeartbeat(after: interval * random())]
            if intent == .resume, let sessionID {
                state = .resuming
                actions.append(.send(.resume(ResumePayload(token: configuration.token, sessionID: sessionID, sequence: sequence))))
            } else {
                state = .waitingForIdentifySlot
                actions.append(.requestIdentifySlot)
            }
            return actions

        case .identifySlotGranted:
            guard state == .waitingForIdentifySlot else { return [] }
            state = .identifying
            return [.send(.identify(IdentifyPayload(
                token: configuration.token, intents: configuration.intents,
                properties: configuration.properties, shard: configuration.shard
            )))]

        case .ready(let ready, let readySequence):
            if let readySequence { sequence = readySequence }
            sessionID = ready.sessionID
            resumeGatewayURL = ready.resumeGatewayURL
            state = .ready
            failedAttempts = 0
            return [.report(.ready(shard: configuration.shard, sessionID: ready.sessionID, user: ready.user.username))]

        case .resumed(let resumedSequence):
            if let resumedSequence { sequence = resumedSequence }
            state = .resumed
            failedAttempts = 0
            return [.report(.resumed(shard: configuration.shard, sequence: sequence))]

        case .dispatch(let dispatchSequence):
            if let dispatchSequence { sequence = dispatchSequence }
            return []

        case .heartbeatAck:
            awaitingAck = false
            return []

        case .heartbeatRequested:
            return [.send(.heartbeat(sequence: sequence))]

        case .heartbeatDue:
            guard let heartbeatInterval, !isWaitingForHello else { return [] }
            if awaitingAck {
                // No ACK since the last beat: the connection is a zombie. Close with a code that keeps the session, then resume.
                return [.close(code: GatewayCloseCode.clientZombieConnection, reason: "no heartbeat ACK")]
                    + reconnect(.resume, reason: "Discord did not acknowledge the last heartbeat (zombie connection)")
            }
            awaitingAck = true
            return [.send(.heartbeat(sequence: sequence)), .scheduleHeartbeat(after: heartbeatInterval)]

        case .reconnectRequested:
            return [.close(code: GatewayCloseCode.clientReconnect, reason: "reconnect requested")]
                + reconnect(.resume, reason: "Discord asked for a reconnect (op 7)", delay: .zero)

        case .invalidSession(let resumable):
            let delay = invalidSessionDelay()
            if resumable {
                return [.close(code: GatewayCloseCode.clientReconnect, reason: "invalid session, resuming")]
                    + reconnect(.resume, reason: "Discord invalidated the session but allows a resume (op 9)", delay: delay)
            }
            forgetSession()
            return [.close(code: GatewayCloseCode.clientReconnect, reason: "invalid session")]
                + reconnect(.identify, reason: "Discord invalidated the session (op 9); starting a new one", delay: delay)

        case .closed(let code, let reason):
            let described = "Discord closed the connection (\(code.map { "code \($0)" } ?? "no close code")\(reason.isEmpty ? "" : ": \(reason)"))"
            if case .waitingForHello(let intent) = state {
                return reconnect(intent, reason: described)
            }
            switch GatewayCloseCode.disposition(of: code) {
            case .resume:
                return reconnect(.resume, reason: described)
            case .identify:
                forgetSession()
                return reconnect(.identify, reason: described + "; the session cannot be resumed")
            case .fatal(let message):
                state = .stopped(.fatal(code: code ?? 0, message: message))
                return [.cancelHeartbeat, .report(.gaveUp(shard: configuration.shard, reason: message))]
            }

        case .start, .connected, .connectFailed, .reconnectDelayElapsed, .stop:
            return []
        }
    }

    // MARK: - Transitions shared by several events

    private mutating func connect(_ intent: Intent) -> [Action] {
        let attempt: Int
        if case .connecting(let previous, _) = state { attempt = previous + 1 } else { attempt = failedAttempts + 1 }
        let resuming = intent == .resume && sessionID != nil
        let effective: Intent = resuming ? .resume : .identify
        let base = resuming ? (resumeGatewayURL ?? configuration.gatewayURL) : configuration.gatewayURL
        let url = GatewayURL.connectionURL(base: base, compress: configuration.compress)
        state = .connecting(attempt: attempt, intent: effective)
        return [
            .report(.connecting(shard: configuration.shard, url: url, resuming: resuming, attempt: attempt)),
            .connect(url: url),
        ]
    }

    /// Leaves the current connection (the caller closes it if needed) and waits before connecting again.
    private mutating func reconnect(_ intent: Intent, reason: String, delay: Duration? = nil) -> [Action] {
        let wait = delay ?? configuration.backoff.delay(attempt: failedAttempts, unit: random())
        failedAttempts += 1
        awaitingAck = false
        heartbeatInterval = nil
        state = .waitingToReconnect(intent: intent)
        return [
            .cancelHeartbeat,
            .report(.reconnecting(shard: configuration.shard, reason: reason, after: wait)),
            .scheduleReconnect(after: wait),
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

    private mutating func forgetSession() {
        sessionID = nil
        resumeGatewayURL = nil
        sequence = nil
    }

    private var isWaitingForHello: Bool {
        if case .waitingForHello = state { return true }
        return false
    }

    private func invalidSessionDelay() -> Duration {
        let range = configuration.invalidSessionDelay
        return .milliseconds(Int((range.lowerBound + (range.upperBound - range.lowerBound) * random()) * 1000))
    }
}
