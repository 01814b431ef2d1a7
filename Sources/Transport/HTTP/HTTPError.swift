/// Why an HTTP exchange failed before a response arrived. HTTP error statuses are not errors here:
/// they come back as an `HTTPResponse` and the caller decides.
/// Each case carries curl's own explanation (its error buffer), so logs say what happened.
public enum HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL could not be used (malformed, or not http/https).
    case invalidURL(String, message: String)
    /// The host name did not resolve.
    case couldNotResolve(host: String, message: String)
    /// The TCP connection was refused or could not be made.
    case couldNotConnect(message: String)
    /// The client's connection filter refused every address the host name led to; nothing was sent.
    case addressRefused(message: String)
    /// Connect or total timeout elapsed.
    case timeout(message: String)
    /// The TLS handshake or certificate verification failed.
    case tls(message: String)
    /// The CA bundle given as `caFile` could not be used.
    case tlsConfiguration(message: String)
    /// The connection broke or the server closed it without an answer.
    case connectionFailed(message: String)
    /// The task awaiting the request was cancelled.
    case cancelled
    /// The client was shut down.
    case clientClosed
    /// Any other libcurl failure.
    case transfer(code: Int, message: String)

    public var description: String {
        switch self {
        // Only scheme and host: a webhook URL carries its secret in the path.
        case .invalidURL(let url, let message): "Invalid URL \(HTTPRequest.redacted(url)): \(message)"
        case .couldNotResolve(let host, let message): "Could not resolve \(host): \(message)"
        case .couldNotConnect(let message): "Could not connect: \(message)"
        case .addressRefused(let message): "Refused to connect: \(message)"
        case .timeout(let message): "Timed out: \(message)"
        case .tls(let message): "TLS failure: \(message)"
        case .tlsConfiguration(let message): "TLS configuration: \(message)"
        case .connectionFailed(let message): "Connection failed: \(message)"
        case .cancelled: "The request was cancelled."
        case .clientClosed: "The HTTP client was shut down."
        case .transfer(let code, let message): "HTTP transfer failed (curl code \(code)): \(message)"
        }
    }

    public var isTimeout: Bool {
        if case .timeout = self { return true }
        return false
    }
}

/// Anything that sends HTTP requests: the libcurl client, or a fake in tests.
public protocol HTTPSending: Sendable {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
