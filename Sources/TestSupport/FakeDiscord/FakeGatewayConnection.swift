import Foundation
import Transport

/// The fake gateway's side of one client connection, scripted by a test: send Hello, Ready, op 7, op 9,
/// close with a code; read what the client sends, answering heartbeats (or, to make a zombie, not).
public final class FakeGatewayConnection: Sendable {
    public let socket: WebSocketServerConnection
    private let recorder: FakeGatewayRecorder
    /// This fake gateway's own URL: the default `resume_gateway_url` in Ready.
    public let gatewayURL: String

    init(socket: WebSocketServerConnection, recorder: FakeGatewayRecorder, gatewayURL: String) {
        self.socket = socket
        self.recorder = recorder
        self.gatewayURL = gatewayURL
    }

    public var index: Int { socket.index }
    /// The request target, e.g. "/?v=10&encoding=json".
    public var path: String { socket.path }

    // MARK: - Sending

    public func sendHello(heartbeatInterval milliseconds: Int) throws {
        try socket.send(text: FakeGatewayFrames.hello(heartbeatInterval: milliseconds))
    }

    public func sendReady(sessionID: String, resumeURL: String? = nil, sequence: Int = 1, shard: [Int] = [0, 1], username: String = "clanbot") throws {
        try socket.send(text: FakeGatewayFrames.ready(sessionID: sessionID, resumeURL: resumeURL ?? gatewayURL, sequence: sequence, shard: shard, username: username))
    }

    public func sendResumed(sequence: Int) throws { try socket.send(text: FakeGatewayFrames.resumed(sequence: sequence)) }

    public func sendDispatch(_ name: String, sequence: Int, data: String) throws {
        try socket.send(text: FakeGatewayFrames.dispatch(name, sequence: sequence, data: data))
    }

    /// Sends a whole frame as given (e.g. `InteractionFixtures.slashCommand()`).
    public func sendRaw(_ frame: String) throws {
        try socket.send(text: frame)
    }

    public func sendHeartbeatRequest() throws { try socket.send(text: FakeGatewayFrames.heartbeatRequest) }
    public func sendReconnect() throws { try socket.send(text: FakeGatewayFrames.reconnect) }
    public func sendInvalidSession(resumable: Bool) throws { try socket.send(text: FakeGatewayFrames.invalidSession(resumable: resumable)) }
    public func sendHeartbeatAck() throws { try socket.send(text: FakeGatewayFrames.heartbeatAck) }

    /// Closes with `code` and returns the client's answering close frame (nil if it never answered).
    @discardableResult
    public func close(code: UInt16, reason: String = "") -> WebSocketCloseFrame? {
        try? socket.close(code: code, reason: reason, timeout: .seconds(3))
    }

    // MARK: - Receiving

    /// Reads until the client sends a payload with `op`, answering heartbeats on the way (unless told not to).
    public func next(op: Int, acknowledgingHeartbeats: Bool = true, timeout: Duration = .seconds(10)) throws -> FakeGatewayPayload {
        try next(oneOf: [op], acknowledgingHeartbeats: acknowledgingHeartbeats, timeout: timeout)
    }

    /// Reads until the client sends a payload with one of `ops` (e.g. identify or resume).
    public func next(oneOf ops: Set<Int>, acknowledgingHeartbeats: Bool = true, timeout: Duration = .seconds(10)) throws -> FakeGatewayPayload {
        let deadline = ContinuousClock.now + timeout
        while true {
            let payload = try receivePayload(until: deadline)
            if payload.isHeartbeat && acknowledgingHeartbeats { try sendHeartbeatAck() }
            if ops.contains(payload.op) { return payload }
        }
    }

    /// Serves the connection for `duration` (answering heartbeats unless told not to); returns the client's
    /// close frame if it closed in the meantime.
    @discardableResult
    public func serve(for duration: Duration, acknowledgingHeartbeats: Bool = true) throws -> WebSocketCloseFrame? {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            do {
                let payload = try receivePayload(until: deadline)
                if payload.isHeartbeat && acknowledgingHeartbeats { try sendHeartbeatAck() }
            } catch WebSocketTestServerError.clientClosed(let frame) {
                return frame
            } catch WebSocketTestServerError.timedOut {
                return nil
            }
        }
        return nil
    }

    /// Waits for the client's close frame, recording (and not answering) anything sent before it.
    public func awaitClose(timeout: Duration = .seconds(10)) throws -> WebSocketCloseFrame {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                _ = try receivePayload(until: deadline)
            } catch WebSocketTestServerError.clientClosed(let frame) {
                return frame
            }
        }
    }

    private func receivePayload(until deadline: ContinuousClock.Instant) throws -> FakeGatewayPayload {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw WebSocketTestServerError.timedOut(waitingFor: "a gateway payload") }
        let text = try socket.receiveText(timeout: remaining)
        let payload = try FakeGatewayPayload(connection: index, time: recorder.elapsed(), raw: text)
        recorder.record(payload)
        return payload
    }
}

/// Everything every connection received, in order.
final class FakeGatewayRecorder: Sendable {
    private let start = ContinuousClock.now
    private let payloads = LockedValue<[FakeGatewayPayload]>([])

    func elapsed() -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    func record(_ payload: FakeGatewayPayload) { payloads.withLock { $0.append(payload) } }
    var all: [FakeGatewayPayload] { payloads.value }
}
