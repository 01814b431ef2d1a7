import Foundation
import Transport

/// One gateway connection as the shard driver sees it: send text, receive messages, close.
public protocol GatewaySocket: Sendable {
    func send(text: String) async throws
    /// The next message; throws `GatewaySocketClosed` when the connection ends.
    func receive() async throws -> WebSocketMessage
    func close(code: UInt16, reason: String) async
}

/// Opens gateway connections. The real one is `WebSocketGatewayConnector`.
public protocol GatewayConnector: Sendable {
    func connect(to url: String) async throws -> any GatewaySocket
}

/// How a gateway connection ended: the close code to act on (nil when none is known) and why.
public struct GatewaySocketClosed: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: UInt16?
    public var reason: String

    public init(code: UInt16?, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "connection ended (\(code.map(String.init) ?? "no code")): \(reason)" }
}

/// Gateway connections over our RFC 6455 client, with TLS verified against the system store plus SSL_CERT_FILE.
public struct WebSocketGatewayConnector: GatewayConnector {
    public var options: WebSocketOptions

    public init(caFile: String? = nil, options: WebSocketOptions = WebSocketOptions()) {
        var options = options
        if let caFile { options.tls.additionalCAFile = caFile }
        self.options = options
    }

    public func connect(to url: String) async throws -> any GatewaySocket {
        guard let parsed = URL(string: url) else { throw WebSocketError.invalidURL(url) }
        let client = try await WebSocketClient.connect(to: parsed, headers: [("User-Agent", DiscordREST.userAgent(version: ClanbotVersion.current))], options: options)
        return Socket(client: client)
    }

    struct Socket: GatewaySocket {
        let client: WebSocketClient

        func send(text: String) async throws { try await client.send(text: text) }

        func receive() async throws -> WebSocketMessage {
            do {
                return try await client.receive()
            } catch let error as WebSocketError {
                throw GatewaySocketClosed(code: error.closeCode, reason: error.closeReason)
            }
        }

        func close(code: UInt16, reason: String) async { await client.close(code: code, reason: reason) }
    }
}

extension WebSocketError {
    /// The server's close reason when it sent one, else what happened.
    var closeReason: String {
        if case .closed(let frame?, _) = self { return frame.reason }
        return description
    }
}
