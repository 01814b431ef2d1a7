/// Why a WebSocket operation failed or the connection ended. Every case says what to do next.
public enum WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not ws:// or wss:// with a host.
    case invalidURL(String)
    /// TCP, TLS or a timeout below the WebSocket protocol.
    case transport(TransportError)
    /// The server did not complete the opening handshake correctly.
    case handshakeFailed(String)
    /// The server broke RFC 6455; we sent a close frame with `violation.closeCode` and dropped the connection.
    case protocolViolation(WebSocketProtocolError)
    /// The close handshake happened. `serverClose` is the close frame the server sent
    /// (its code is what the Discord gateway uses to say why, e.g. 4004); nil when it never sent one in time.
    case closed(serverClose: WebSocketCloseFrame?, initiatedByClient: Bool)
    /// The TCP connection ended without a close frame (close code 1006 semantics).
    case connectionLost(String)
    /// `send` after `close` was called or the server started closing.
    case notOpen
    /// Random bytes for the key or a mask could not be produced.
    case randomUnavailable(String)

    /// The close code that best describes how the connection ended, as the Discord gateway wants it:
    /// the server's code after a close handshake, 1005 when it sent none, 1006 for a lost connection.
    public var closeCode: UInt16? {
        switch self {
        case .closed(let frame, _): frame.map { $0.code ?? 1005 }
        case .connectionLost, .transport: 1006
        case .protocolViolation(let violation): violation.closeCode
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let text): "invalid WebSocket URL \"\(text)\": use ws://host[:port]/path or wss://host[:port]/path"
        case .transport(let error): error.description
        case .handshakeFailed(let detail): "WebSocket handshake failed: \(detail)"
        case .protocolViolation(let violation): "server violated the WebSocket protocol: \(violation) (closed with \(violation.closeCode))"
        case .closed(let frame, let byClient):
            if let frame { "WebSocket closed by \(byClient ? "us" : "the server"); server sent \(frame)" }
            else { "WebSocket closed by us; the server did not answer with a close frame" }
        case .connectionLost(let detail): "WebSocket connection lost (1006): \(detail)"
        case .notOpen: "the WebSocket is closing or closed; nothing more can be sent"
        case .randomUnavailable(let detail): detail
        }
    }
}
