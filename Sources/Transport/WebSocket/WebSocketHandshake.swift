import Cryptography
import Foundation

/// The opening handshake (RFC 6455 section 4): the client's upgrade request and the checks on the answer.
public enum WebSocketHandshake {
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// The longest response head we read before giving up on a misbehaving server.
    static let maximumHeadSize = 16 * 1024

    /// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
    public static func acceptValue(forKey key: String) -> String {
        Data(Digest.sha1(Array((key + acceptGUID).utf8))).base64EncodedString()
    }

    /// A fresh Sec-WebSocket-Key: 16 random bytes, base64.
    static func makeKey() throws -> String {
        Data(try SecureRandom.bytes(16)).base64EncodedString()
    }

    static func request(hostHeader: String, target: String, key: String, headers: [(String, String)]) -> [UInt8] {
        var lines = [
            "GET \(target) HTTP/1.1",
            "Host: \(hostHeader)",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: \(key)",
            "Sec-WebSocket-Version: 13",
        ]
        for (name, value) in headers {
            // A header containing a line break would let a caller smuggle lines into the request.
            let clean = { (text: String) in text.filter { $0 != "\r" && $0 != "\n" } }
            lines.append("\(clean(name)): \(clean(value))")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// Checks the server's answer: status 101, Upgrade: websocket, Connection: Upgrade, the Accept value,
    /// and no extension or subprotocol we did not ask for.
    static func validate(_ head: HandshakeHead, key: String) throws(WebSocketError) {
        guard head.statusCode == 101 else {
            throw .handshakeFailed("server answered \(head.startLine) instead of 101 Switching Protocols")
        }
        guard let upgrade = head.value(for: "Upgrade"), upgrade.lowercased() == "websocket" else {
            throw .handshakeFailed("response lacks \"Upgrade: websocket\" (got \(head.value(for: "Upgrade") ?? "none"))")
        }
        guard let connection = head.value(for: "Connection"),
              connection.lowercased().split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "upgrade" })
        else {
            throw .handshakeFailed("response lacks \"Connection: Upgrade\" (got \(head.value(for: "Connection") ?? "none"))")
        }
        let expected = acceptValue(forKey: key)
        guard let accept = head.value(for: "Sec-WebSocket-Accept"), accept == expected else {
            throw .handshakeFailed("Sec-WebSocket-Accept is \(head.value(for: "Sec-WebSocket-Accept") ?? "missing"), expected \(expected); the server is not speaking RFC 6455")
        }
        if let extensions = head.value(for: "Sec-WebSocket-Extensions"), !extensions.isEmpty {
            throw .handshakeFailed("server selected extension \"\(extensions)\" that we did not offer")
        }
        if let protocols = head.value(for: "Sec-WebSocket-Protocol"), !protocols.isEmpty {
            throw .handshakeFailed("server selected subprotocol \"\(protocols)\" that we did not offer")
        }
    }
}

/// An HTTP/1.1 request or response head: the start line and the header fields.
public struct HandshakeHead: Sendable, Equatable {
    public var startLine: String
    public var headers: [(name: String, value: String)]

    /// Parses the head; `bytes` must end at (and may include) the blank line.
    public init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        guard let first = lines.first, !first.isEmpty else { return nil }
        startLine = first
        lines.removeFirst()
        headers = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
    }

    /// The status code of a response head ("HTTP/1.1 101 Switching Protocols" → 101).
    public var statusCode: Int? {
        let parts = startLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }

    /// The first value of a header, matched case-insensitively.
    public func value(for name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Where the head ends: the index just past "\r\n\r\n", or nil when it has not fully arrived.
    public static func endIndex(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    public static func == (lhs: HandshakeHead, rhs: HandshakeHead) -> Bool {
        lhs.startLine == rhs.startLine && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}
