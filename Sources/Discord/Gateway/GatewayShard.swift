import Foundation
import Transport

/// Runs one shard's `GatewaySession` over connections from a `GatewayConnector`: performs its actions
/// (connect, send, timers, close, deliver) and feeds back what happens. Events from a connection or timer
/// that has since been replaced are dropped by generation numbers, so the state machine only ever sees
/// the current connection. A frame is decoded off the actor into an event; a dispatch reaches
/// `onDispatch` only after the session has recorded its sequence.
actor GatewayShard {
    /// Called on the shard's actor, after the session has recorded the dispatch's sequence: keep it quick
    /// (decode and hand the work to a task, as `InteractionDispatcher` does).
    public typealias DispatchHandler = @Sendable (GatewayDispatch) -> Void

    private var session: GatewaySession
    private let connector: any GatewayConnector
    private let identifyQueue: IdentifyQueue
    private let onStatus: @Sendable (GatewayStatus) -> Void
    private let onDispatch: DispatchHandler
    private let now: @Sendable () -> Double
    private let timer: GatewayTimer

    private var socket: (any GatewaySocket)?
    private var connection = 0          // generation of the current connection
    private var heartbeatGeneration = 0
    private var reconnectGeneration = 0
    private var heartbeatTask: Task<Void, Never>?
    private var reconnectTask: Task<Void, Never>?
    private var connectionTasks: [Task<Void, Never>] = []
    private var closing: [Task<Void, Never>] = []
    private var limiter = GatewaySendLimiter()
    private var finished: [CheckedContinuation<GatewaySession.StopReason, Never>] = []

    public init(
        configuration: GatewaySession.Configuration,
        connector: any GatewayConnector,
        identifyQueue: IdentifyQueue,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Double = DiscordREST.monotonicSeconds,
        timer: GatewayTimer = .continuous,
        onStatus: @escaping @Sendable (GatewayStatus) -> Void,
        onDispatch: @escaping DispatchHandler
    ) {
        self.session = GatewaySession(configuration: configuration, random: random)
        self.connector = connector
        self.identifyQueue = identifyQueue
        self.onStatus = onStatus
        self.onDispatch = onDispatch
        self.now = now
        self.timer = timer
    }

    public var state: GatewaySession.State { session.state }
    /// The session Discord would let this shard resume, if any.
    public var resumable: GatewaySession.Session? { session.session }

    /// Connects and keeps the session alive until `stop()` or a fatal close code; returns why it stopped,
    /// after the last close handshake has finished.
    public func run() async -> GatewaySession.StopReason {
        if case .idle = session.state { await handle(.start) }
        let reason: GatewaySession.StopReason
        if case .stopped(let stopped) = session.state {
            reason = stopped
        } else {
            reason = await withCheckedContinuation { finished.append($0) }
        }
        for task in closing { await task.value }
        return reason
    }

    /// Closes with 1000 and ends `run()`.
    public func stop() async {
        await handle(.stop)
    }

    // MARK: - The loop: one event in, its actions out

    private func handle(_ event: GatewaySession.Event) async {
        let actions = session.handle(event)
        for action in actions { await perform(action) }
        if case .stopped(let reason) = session.state, !finished.isEmpty {
            cancelTimers()
            for task in connectionTasks { task.cancel() }
            let waiting = finished
            finished = []
            for continuation in waiting { continuation.resume(returning: reason) }
        }
    }

    private func handle(_ event: GatewaySession.Event, connection generation: Int) async {
        guard generation == connection else { return }
        await handle(event)
    }

    private func perform(_ action: GatewaySession.Action) async {
        switch action {
        case .connect(let url):
            connection += 1
            let generation = connection
            limiter = GatewaySendLimiter()
            connectionTasks.removeAll()
            connectionTasks.append(Task { await self.open(url, generation: generation) })

        case .requestIdentifySlot:
            let generation = connection
            let shard = session.configuration.shard.index
            connectionTasks.append(Task {
                do {
                    try await self.identifyQueue.acquire(shard: shard)
                } catch {
                    return  // cancelled: the connection is gone
                }
                await self.handle(.identifySlotGranted, connection: generation)
            })

        case .send(let command):
            await send(command)

        case .scheduleHeartbeat(let delay):
            heartbeatTask?.cancel()
            heartbeatGeneration += 1
            let generation = heartbeatGeneration
            let sleep = timer.deadline(after: delay)
            heartbeatTask = Task {
                guard (try? await sleep()) != nil else { return }
                await self.heartbeatFired(generation)
            }

        case .cancelHeartbeat:
            heartbeatTask?.cancel()
            heartbeatTask = nil
            heartbeatGeneration += 1

        case .close(let code, let reason):
            guard let socket else { return }
            self.socket = nil
            connection += 1  // whatever the old connection still reports is stale now
            // Only recent closes can still be running; older handles are dropped so reconnects do not pile up.
            closing = closing.suffix(3) + [Task { await socket.close(code: code, reason: reason) }]

        case .scheduleReconnect(let delay):
            reconnectTask?.cancel()
            reconnectGeneration += 1
            let generation = reconnectGeneration
            // The connection is over (closed just before, or by the server): whatever it or its identify
            // slot still reports is stale.
            connection += 1
            socket = nil
            let sleep = timer.deadline(after: delay)
            reconnectTask = Task {
                guard (try? await sleep()) != nil else { return }
                await self.reconnectFired(generation)
            }

        case .deliver(let dispatch):
            onDispatch(dispatch)

        case .report(let status):
            onStatus(status)
        }
    }

    /// A server that accepts the WebSocket but never says Hello would otherwise hold the shard forever.
    private func helloTimedOut(generation: Int, after timeout: Duration) async {
        guard generation == connection, case .waitingForHello = session.state else { return }
        if let socket {
            self.socket = nil
            closing = closing.suffix(3) + [Task { await socket.close(code: GatewayCloseCode.clientReconnect, reason: "no Hello") }]
        }
        connection += 1
        await handle(.closed(code: nil, reason: "no Hello within \(GatewayStatus.seconds(timeout))"))
    }

    private func heartbeatFired(_ generation: Int) async {
        guard generation == heartbeatGeneration else { return }
        await handle(.heartbeatDue)
    }

    private func reconnectFired(_ generation: Int) async {
        guard generation == reconnectGeneration else { return }
        await handle(.reconnectDelayElapsed)
    }

    private func cancelTimers() {
        heartbeatTask?.cancel()
        reconnectTask?.cancel()
        heartbeatGeneration += 1
        reconnectGeneration += 1
    }

    // MARK: - Connections

    private func open(_ url: String, generation: Int) async {
        let opened: any GatewaySocket
        do {
            opened = try await connector.connect(to: url)
        } catch {
            await handle(.connectFailed(reason: "\(error)"), connection: generation)
            return
        }
        guard generation == connection else {
            await opened.close(code: GatewayCloseCode.clientShutdown, reason: "superseded")
            return
        }
        socket = opened
        await handle(.connected)
        let helloTimeout = session.configuration.helloTimeout
        let sleep = timer.deadline(after: helloTimeout)
        connectionTasks.append(Task {
            guard (try? await sleep()) != nil else { return }
            await self.helloTimedOut(generation: generation, after: helloTimeout)
        })
        let compressed = session.configuration.compress
        connectionTasks.append(Task { await self.read(opened, generation: generation, compressed: compressed) })
    }

    /// Reads one connection until it ends; nonisolated so decoding runs off the actor.
    private nonisolated func read(_ socket: any GatewaySocket, generation: Int, compressed: Bool) async {
        let inflater = compressed ? try? ZlibStreamInflater() : nil
        while !Task.isCancelled {
            let message: WebSocketMessage
            do {
                message = try await socket.receive()
            } catch let closed as GatewaySocketClosed {
                await handle(.closed(code: closed.code, reason: closed.reason), connection: generation)
                return
            } catch {
                await handle(.closed(code: nil, reason: "\(error)"), connection: generation)
                return
            }
            let frame: Data
            switch message {
            case .text(let text):
                frame = Data(text.utf8)
            case .binary(let bytes):
                guard let inflater else { continue }
                do {
                    guard let inflated = try inflater.push(bytes) else { continue }
                    frame = Data(inflated)
                } catch {
                    await handle(.closed(code: nil, reason: "\(error)"), connection: generation)
                    return
                }
            }
            guard let event = Self.decode(frame) else { continue }
            await handle(event, connection: generation)
        }
    }

    /// A frame we cannot read is skipped (nil); the session goes on.
    private static func decode(_ frame: Data) -> GatewaySession.Event? {
        guard let message = try? GatewayFrameCodec.decode(frame) else { return nil }
        return GatewaySession.Event(message)
    }

    private func send(_ command: GatewayCommand) async {
        guard let socket else { return }
        let text: String
        do {
            text = String(decoding: try GatewayFrameCodec.encode(command), as: UTF8.self)
        } catch {
            onStatus(.warning(shard: session.configuration.shard, message: "\(error)"))
            return
        }
        let priority: GatewaySendLimiter.Priority = if case .heartbeat = command { .heartbeat } else { .normal }
        while let wait = limiter.reserve(priority, now: now()) {
            try? await timer.deadline(after: .milliseconds(Int(wait * 1000) + 1))()
        }
        // A failed send shows up as the connection ending, which the reader reports.
        try? await socket.send(text: text)
    }
}
