import Cryptography
import Foundation
import Threads

/// An RFC 6455 WebSocket client over TCP or TLS.
///
/// Each connection has one I/O thread that owns the socket; these methods hand work to it and may be
/// called from any task. Sends keep their order and complete once written. Received messages wait
/// in a bounded buffer for `receive()`. When the connection ends, `receive()` returns what is still
/// buffered and then throws the `WebSocketError` saying how it ended (`.closed(serverClose:…)` carries
/// the server's close code).
public final class WebSocketClient: Sendable {
    private let state: WebSocketSharedState

    private init(state: WebSocketSharedState) {
        self.state = state
    }

    /// Connects, completes the TLS and WebSocket handshakes, and returns an open connection.
    /// - Parameters:
    ///   - url: `ws://` or `wss://` URL; path and query are sent as the request target.
    ///   - headers: extra request headers (User-Agent, …).
    /// - Throws: `WebSocketError` (`.transport` for DNS/TCP/TLS, `.handshakeFailed`, `.invalidURL`).
    public static func connect(
        to url: URL, headers: [(String, String)] = [], options: WebSocketOptions = WebSocketOptions()
    ) async throws -> WebSocketClient {
        let endpoint = try WebSocketEndpoint(url: url)
        let tlsContext: TLSContext?
        let wakeup: WakeupPipe
        do {
            tlsContext = endpoint.secure ? try TLSContext(client: options.tls) : nil
            wakeup = try WakeupPipe()
        } catch {
            throw WebSocketError.transport(error)
        }
        let state = WebSocketSharedState(
            wakeup: wakeup, maximumBufferedMessages: options.maximumBufferedMessages, closeTimeout: options.closeTimeout)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            // A joinable thread, so the process can stop and join it before exiting (see `BackgroundThreads`).
            BackgroundThreads.shared.register(state)
            let started = BackgroundThreads.shared.start(name: "clanbot-ws") {
                // Made on its thread and never leaving it: the loop's state needs no lock.
                let loop = WebSocketIOLoop(endpoint: endpoint, headers: headers, options: options, tlsContext: tlsContext, state: state)
                loop.run { result in continuation.resume(with: result.mapError { $0 as any Error }) }
            }
            if !started {
                continuation.resume(throwing: WebSocketError.connectionLost("no thread could be started for the connection: the process is stopping or out of threads"))
            }
        }
        return WebSocketClient(state: state)
    }

    deinit {
        // Nobody can use the connection any more: stop its thread (no-op if already finished).
        state.abort()
    }

    /// Sends one text message (a single masked frame). Throws `.notOpen` once closing has begun.
    public func send(text: String) async throws {
        try await send(.text, Array(text.utf8))
    }

    /// Sends one binary message.
    public func send(binary: [UInt8]) async throws {
        try await send(.binary, binary)
    }

    /// Sends a ping (payload at most 125 bytes; longer is cut). The pong is not reported.
    public func sendPing(_ payload: [UInt8] = []) async throws {
        try await send(.ping, Array(payload.prefix(125)))
    }

    private func send(_ opcode: WebSocketOpcode, _ payload: [UInt8]) async throws {
        let key: [UInt8]
        do { key = try SecureRandom.bytes(4) } catch { throw WebSocketError.randomUnavailable(error.description) }
        try await state.enqueue(WebSocketFrameEncoder.encode(opcode: opcode.rawValue, payload: payload, maskingKey: key))
    }

    /// The next message. Throws how the connection ended once nothing is buffered, or
    /// `CancellationError` if the task is cancelled while waiting.
    public func receive() async throws -> WebSocketMessage {
        try await state.receive()
    }

    /// Runs the close handshake with `code` and `reason` (cut to 123 bytes) and returns when the connection
    /// is finished: the server answered and closed TCP, or `options.closeTimeout` passed.
    /// Codes that must not be sent (1005, 1006, 1015, out of range) are replaced by 1000.
    public func close(code: UInt16 = 1000, reason: String = "") async {
        let frame = WebSocketCloseFrame(code: code, reason: reason)
        guard let key = try? SecureRandom.bytes(4) else {
            state.abort(.randomUnavailable("OpenSSL could not produce a masking key"))
            return
        }
        await state.close(WebSocketFrameEncoder.encode(opcode: WebSocketOpcode.close.rawValue, payload: frame.payload, maskingKey: key))
    }

    /// Drops the connection at once, without a close handshake.
    public func abort() {
        state.abort()
    }

    /// The close frame the server sent, once it has sent one.
    var serverCloseFrame: WebSocketCloseFrame? { state.serverClose }

    /// True until closing starts or the connection ends.
    public var isOpen: Bool { state.isOpen }

    /// How the connection ended, once it has.
    public var endReason: WebSocketError? { state.terminalError }
}
