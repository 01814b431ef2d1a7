import Transport

/// What went wrong on the test server's side, for a test's failure message.
public enum WebSocketTestServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case timedOut(waitingFor: String)
    case connectionClosed
    case clientClosed(WebSocketCloseFrame)
    case protocolViolation(WebSocketProtocolError)
    case badHandshake(String)
    case transport(TransportError)
    case unexpected(String)

    public var description: String {
        switch self {
        case .timedOut(let what): "test server timed out waiting for \(what)"
        case .connectionClosed: "the client closed the TCP connection"
        case .clientClosed(let frame): "the client sent a close frame (\(frame))"
        case .protocolViolation(let violation): "the client violated RFC 6455: \(violation)"
        case .badHandshake(let detail): "bad client handshake: \(detail)"
        case .transport(let error): "test server transport error: \(error)"
        case .unexpected(let detail): "unexpected: \(detail)"
        }
    }
}

/// How the test server answers the opening handshake.
public enum WebSocketHandshakeBehavior: Sendable, Equatable {
    /// A correct 101 response.
    case accept
    /// 101 with a Sec-WebSocket-Accept that does not match the key.
    case wrongAccept
    /// A plain HTTP error such as 403 or 200.
    case status(Int)
    /// Exactly these bytes.
    case raw(String)
    /// Read the request, then never answer (for timeouts).
    case silent
}

/// One event as the test server sees it after reassembly.
public enum WebSocketServerEvent: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    case close(WebSocketCloseFrame)
}
