import Foundation
import Transport

/// A scriptable WebSocket server on 127.0.0.1 (plain or TLS) for tests. Each accepted connection gets
/// its own thread: the server runs the opening handshake, then calls `handler` with the connection,
/// and closes the socket when the handler returns.
///
///     let server = try WebSocketTestServer(tls: true) { connection in
///         try connection.send(text: "hello")
///         let reply = try connection.receiveText()
///         try connection.close(code: 4004, reason: "Authentication failed.")
///     }
///     options.tls.additionalCAFile = server.caFilePath
///     let client = try await WebSocketClient.connect(to: server.url, options: options)
public final class WebSocketTestServer: Sendable {
    /// ws://127.0.0.1:PORT/ or wss://127.0.0.1:PORT/
    public let url: URL
    public let port: UInt16
    /// PEM file of the CA that signed the server certificate (TLS only): pass it as the client's extra CA file.
    public let caFilePath: String?
    /// Keeps the CA file (`caFilePath`) on disk while the server lives.
    private let certificates: TestCertificates?
    private let listener: TCPListener
    private let errors = LockedValue<[String]>([])
    private let accepted = LockedValue(0)
    private let live = LockedValue<[WebSocketServerConnection]>([])

    /// - Parameters:
    ///   - tls: serve wss:// with a certificate for 127.0.0.1 and localhost made for this server.
    ///   - certificates: use these instead (e.g. one made for another host name, to test verification).
    ///   - handshake: how to answer the opening handshake.
    ///   - handler: the script for each connection; errors it throws are kept in `handlerErrors`.
    public init(
        tls: Bool = false,
        certificates: TestCertificates? = nil,
        handshake: WebSocketHandshakeBehavior = .accept,
        handler: @escaping @Sendable (WebSocketServerConnection) throws -> Void
    ) throws {
        let wrapper = tls || certificates != nil ? try TLSServerWrapper(certificates: certificates) : nil
        let errors = self.errors
        let accepted = self.accepted
        let live = self.live
        listener = try TCPListener { fd in
            let index = accepted.withLock { count -> Int in
                defer { count += 1 }
                return count
            }
            do {
                let stream: any ByteStream = try wrapper.map { try $0.accept(fd) } ?? TCPSocket(adopting: fd)
                guard let connection = try WebSocketTestServer.handshake(stream: stream, index: index, behavior: handshake) else {
                    stream.close()
                    return
                }
                live.withLock { $0.append(connection) }
                defer {
                    connection.finish()
                    live.withLock { list in list.removeAll { $0 === connection } }
                }
                try handler(connection)
            } catch {
                errors.withLock { $0.append("connection \(index): \(error)") }
            }
        }
        port = listener.port
        caFilePath = wrapper?.certificates.caFilePath
        self.certificates = wrapper?.certificates
        guard let url = URL(string: "\(wrapper == nil ? "ws" : "wss")://127.0.0.1:\(listener.port)/") else {
            throw WebSocketTestServerError.unexpected("cannot form the server URL")
        }
        self.url = url
    }

    deinit { stop() }

    /// Errors thrown by handlers (and failed handshakes), for a test's diagnostics.
    public var handlerErrors: [String] { errors.value }

    /// How many TCP connections were accepted so far.
    public var connectionCount: Int { accepted.value }

    /// Stops accepting and drops live connections.
    public func stop() {
        listener.stop()
        for connection in live.value { connection.drop() }
    }

    /// The URL with another request target, e.g. `url(path: "/?v=10&encoding=json")`.
    public func url(path: String) -> URL {
        URL(string: path, relativeTo: url)?.absoluteURL ?? url
    }

    /// Reads the upgrade request and answers it per `behavior`. Nil when no WebSocket connection results.
    private static func handshake(stream: any ByteStream, index: Int, behavior: WebSocketHandshakeBehavior) throws -> WebSocketServerConnection? {
        let deadline = Deadline.after(.seconds(60))  // generous: a loaded machine can starve the client for seconds
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while HandshakeHead.endIndex(in: received) == nil {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(TransportError) -> Int in try stream.readSome(into: buffer, deadline: deadline) }
            }.get()
            guard count > 0 else { return nil }
            received += chunk[0..<count]
            guard received.count < 64 * 1024 else { throw WebSocketTestServerError.badHandshake("request head too long") }
        }
        guard let end = HandshakeHead.endIndex(in: received), let head = HandshakeHead(Array(received[0..<end])) else {
            throw WebSocketTestServerError.badHandshake("not HTTP")
        }
        guard head.startLine.hasPrefix("GET "), let key = head.value(for: "Sec-WebSocket-Key"),
              head.value(for: "Sec-WebSocket-Version") == "13",
              head.value(for: "Upgrade")?.lowercased() == "websocket"
        else {
            try stream.writeAll(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8), deadline: deadline)
            throw WebSocketTestServerError.badHandshake(head.startLine)
        }
        let response: String
        switch behavior {
        case .accept, .wrongAccept:
            let accept = behavior == .accept ? WebSocketHandshake.acceptValue(forKey: key) : WebSocketHandshake.acceptValue(forKey: key + "x")
            response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
        case .status(let code):
            response = "HTTP/1.1 \(code) Test Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        case .raw(let text):
            response = text
        case .silent:
            Thread.sleep(forTimeInterval: 30)
            return nil
        }
        try stream.writeAll(Array(response.utf8), deadline: deadline)
        return WebSocketServerConnection(stream: stream, index: index, request: head, leftover: Array(received[end...]))
    }
}
