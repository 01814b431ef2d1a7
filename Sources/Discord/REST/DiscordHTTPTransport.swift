import Foundation

/// An HTTP request as the REST client hands it to a transport.
public struct DiscordHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: String, headers: [String: String], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response. Header names are lower-cased by the transport.
public struct DiscordHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }
}

/// What the REST client needs from HTTP: one request, one response. The libcurl client adapts to it,
/// and tests script it.
public protocol DiscordHTTPTransport: Sendable {
    func send(_ request: DiscordHTTPRequest) async throws -> DiscordHTTPResponse
}
