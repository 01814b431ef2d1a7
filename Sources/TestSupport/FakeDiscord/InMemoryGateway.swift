import Discord
import Foundation
import Transport

/// Gateway connections in memory, like swift-nio's EmbeddedChannel: the shard under test connects through
/// this connector and the test plays Discord on the other end (`InMemoryGatewayPeer`), frame by frame,
/// with no socket, TLS or thread. Pair it with `ManualClock` so heartbeats and backoff fire when the test
/// advances time.
///
///     let gateway = InMemoryGatewayConnector()
///     let shard = GatewayShard(configuration: …, connector: gateway, …, timer: GatewayTimer(clock: clock), …)
///     let peer = try await gateway.nextConnection()
///     peer.sendHello(heartbeatInterval: 40_000)
///     let identify = try await peer.next(op: 2)
public final class InMemoryGatewayConnector: GatewayConnector, Sendable {
    private struct State {
        var attempts: [String] = []
        var refusals: [String] = []
        var peers: [InMemoryGatewayPeer] = []
    }

    private let state = LockedValue(State())
    private let opened = AsyncMailbox<InMemoryGatewayPeer>()
    private let now: @Sendable () -> Double

    /// `now` stamps what the client sends (seconds); pass a `ManualClock`'s `elapsedSeconds`.
    public init(now: @escaping @Sendable () -> Double = { 0 }) {
        self.now = now
    }

    public func connect(to url: String) async throws -> any GatewaySocket {
        let outcome = state.withLock { state -> Result<InMemoryGatewayPeer, GatewaySocketClosed> in
            state.attempts.append(url)
            if !state.refusals.isEmpty {
                return .failure(GatewaySocketClosed(code: nil, reason: state.refusals.removeFirst()))
            }
            let peer = InMemoryGatewayPeer(index: state.peers.count, url: url, now: now)
            state.peers.append(peer)
            return .success(peer)
        }
        let peer = try outcome.get()
        opened.send(peer)
        return peer.clientSide
    }

    /// The next connection the client opens (in order), waiting for it.
    public func nextConnection(timeout: Duration = .seconds(10)) async throws -> InMemoryGatewayPeer {
        guard let peer = try await opened.next(within: timeout, waitingFor: "the client to connect") else {
            throw TimedOutWaiting(what: "the client to connect")
        }
        return peer
    }

    /// The next `count` connection attempts fail as if the network refused them.
    public func refuse(next count: Int, reason: String = "connection refused") {
        state.withLock { $0.refusals += Array(repeating: reason, count: count) }
    }

    /// Every URL the client tried, refused or not.
    public var attempts: [String] { state.value.attempts }
    /// The connections opened so far.
    public var connections: [InMemoryGatewayPeer] { state.value.peers }
    /// Everything the client sent on every connection, in order.
    public var received: [FakeGatewayPayload] { state.value.peers.flatMap(\.received) }
}

/// Discord's end of one in-memory gateway connection, driven by the test.
public final class InMemoryGatewayPeer: Sendable {
    public let index: Int
    /// The URL the client connected to, e.g. "wss://gateway.example/?v=10&encoding=json".
    public let url: String
    private let toClient = AsyncMailbox<WebSocketMessage>()
    /// What the client sent, stamped when it sent it.
    private let fromClient = AsyncMailbox<(text: String, time: Double)>()
    private let state = LockedValue(State())
    private let now: @Sendable () -> Double

    private struct State {
        var received: [FakeGatewayPayload] = []
        var serverClose: GatewaySocketClosed?
        var clientClose: WebSocketCloseFrame?
    }

    init(index: Int, url: String, now: @escaping @Sendable () -> Double) {
        self.index = index
        self.url = url
        self.now = now
    }

    var clientSide: any GatewaySocket { ClientSide(peer: self) }

    // MARK: - Discord's side: sending

    public func sendHello(heartbeatInterval milliseconds: Int) { sendRaw(FakeGatewayFrames.hello(heartbeatInterval: milliseconds)) }

    public func sendReady(sessionID: String, resumeURL: String = "wss://resume.example", sequence: Int = 1, shard: [Int] = [0, 1], username: String = "clanbot") {
        sendRaw(FakeGatewayFrames.ready(sessionID: sessionID, resumeURL: resumeURL, sequence: sequence, shard: shard, username: username))
    }

    public func sendResumed(sequence: Int) { sendRaw(FakeGatewayFrames.resumed(sequence: sequence)) }
    public func sendDispatch(_ name: String, sequence: Int, data: String) { sendRaw(FakeGatewayFrames.dispatch(name, sequence: sequence, data: data)) }
    public func sendHeartbeatRequest() { sendRaw(FakeGatewayFrames.heartbeatRequest) }
    public func sendReconnect() { sendRaw(FakeGatewayFrames.reconnect) }
    public func sendInvalidSession(resumable: Bool) { sendRaw(FakeGatewayFrames.invalidSession(resumable: resumable)) }
    public func sendHeartbeatAck() { sendRaw(FakeGatewayFrames.heartbeatAck) }
    /// A whole text frame as given.
    public func sendRaw(_ frame: String) { toClient.send(.text(frame)) }
    /// A binary frame (zlib-stream compression).
    public func sendBinary(_ bytes: [UInt8]) { toClient.send(.binary(bytes)) }

    /// Closes the connection from Discord's side with `code`; the client reads what was sent before it first.
    public func close(code: UInt16?, reason: String = "") {
        state.withLock { $0.serverClose = GatewaySocketClosed(code: code, reason: reason) }
        toClient.finish()
    }

    // MARK: - Discord's side: receiving

    /// Reads until the client sends a payload with `op`, answering heartbeats on the way (unless told not to).
    public func next(op: Int, acknowledgingHeartbeats: Bool = true, timeout: Duration = .seconds(10)) async throws -> FakeGatewayPayload {
        while true {
            guard let payload = try await receive(timeout: timeout, waitingFor: "op \(op)") else {
                throw InMemoryGatewayError.closedByClient(clientClose, waitingFor: "op \(op)")
            }
            if payload.isHeartbeat && acknowledgingHeartbeats { sendHeartbeatAck() }
            if payload.op == op { return payload }
        }
    }

    /// Returns once the client has handled everything sent to it before (an ACK, say): asks for a
    /// heartbeat (op 1) and waits for it, since the client reads its connection in order.
    public func roundTrip(timeout: Duration = .seconds(10)) async throws {
        sendHeartbeatRequest()
        _ = try await next(op: 1, acknowledgingHeartbeats: false, timeout: timeout)
    }

    /// Waits for the client to close, recording (and not answering) anything it sends before.
    @discardableResult
    public func awaitClose(timeout: Duration = .seconds(10)) async throws -> WebSocketCloseFrame {
        while try await receive(timeout: timeout, waitingFor: "the client's close") != nil {}
        guard let frame = clientClose else { throw InMemoryGatewayError.endedWithoutClientClose }
        return frame
    }

    /// Everything the client sent on this connection, in order.
    public var received: [FakeGatewayPayload] { state.value.received }
    /// The client's close code and reason, once it closed.
    public var clientClose: WebSocketCloseFrame? { state.value.clientClose }

    private func receive(timeout: Duration, waitingFor what: String) async throws -> FakeGatewayPayload? {
        guard let sent = try await fromClient.next(within: timeout, waitingFor: what) else { return nil }
        let payload = try FakeGatewayPayload(connection: index, time: sent.time, raw: sent.text)
        state.withLock { $0.received.append(payload) }
        return payload
    }

    // MARK: - The client's side

    struct ClientSide: GatewaySocket {
        let peer: InMemoryGatewayPeer

        func send(text: String) async throws {
            if let closed = peer.state.value.serverClose { throw closed }
            guard !peer.fromClient.isFinished else { throw GatewaySocketClosed(code: nil, reason: "closed by the client") }
            peer.fromClient.send((text, peer.now()))
        }

        func receive() async throws -> WebSocketMessage {
            if let message = await peer.toClient.next() { return message }
            try Task.checkCancellation()
            throw peer.state.value.serverClose ?? GatewaySocketClosed(code: nil, reason: "closed by the client")
        }

        func close(code: UInt16, reason: String) async {
            peer.state.withLock { state in
                if state.clientClose == nil { state.clientClose = WebSocketCloseFrame(code: code, reason: reason) }
            }
            peer.fromClient.finish()
            peer.toClient.finish()
        }
    }
}

public enum InMemoryGatewayError: Error, CustomStringConvertible {
    case closedByClient(WebSocketCloseFrame?, waitingFor: String)
    case endedWithoutClientClose

    public var description: String {
        switch self {
        case .endedWithoutClientClose: "the connection ended without a close from the client"
        case .closedByClient(let frame, let what): "the client closed (\(frame.map(\.description) ?? "no frame")) while the test waited for \(what)"
        }
    }
}
