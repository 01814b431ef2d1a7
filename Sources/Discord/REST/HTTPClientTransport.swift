import Foundation
import Transport

/// The REST client's transport over the libcurl `HTTPClient` (connection reuse, TLS, SSL_CERT_FILE).
public struct HTTPClientTransport: DiscordHTTPTransport {
    private let client: any HTTPSending

    public init(client: any HTTPSending) {
        self.client = client
    }

    /// A libcurl client for Discord, trusting `caFile` (SSL_CERT_FILE) in addition to the system store.
    public init(caFile: String?) throws(HTTPError) {
        self.client = try HTTPClient(configuration: HTTPClient.Configuration(caFile: caFile, maxConcurrentTransfers: 4))
    }

    public func send(_ request: DiscordHTTPRequest) async throws -> DiscordHTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
        let response = try await client.send(HTTPRequest(method: HTTPMethod(rawValue: request.method), url: request.url, headers: headers, body: request.body))
        var flattened: [String: String] = [:]
        for field in response.headers { flattened[field.name.lowercased()] = field.value }
        return DiscordHTTPResponse(status: response.status, headers: flattened, body: response.body)
    }
}
