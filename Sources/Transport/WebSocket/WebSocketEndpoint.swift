import Foundation

/// Where a ws:// or wss:// URL points: host, port, request target and the Host header.
struct WebSocketEndpoint: Sendable, Equatable {
    let secure: Bool
    let host: String
    let port: UInt16
    let target: String
    let hostHeader: String

    init(url: URL) throws(WebSocketError) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
              var host = components.host, !host.isEmpty
        else { throw .invalidURL(url.absoluteString) }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        secure = scheme == "wss"
        let defaultPort: UInt16 = secure ? 443 : 80
        if let explicit = components.port {
            guard let port = UInt16(exactly: explicit), port > 0 else { throw .invalidURL(url.absoluteString) }
            self.port = port
        } else {
            port = defaultPort
        }
        self.host = host
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
    }
}
