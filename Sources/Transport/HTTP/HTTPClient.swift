import CCurl
import Foundation

/// An HTTP/1.1 + HTTPS client over libcurl, shared by every part of the bot (hiscores, Discord REST,
/// webhooks, drand). Safe to use from any task; transfers run on the client's own threads.
///
/// TLS: peer and host verification are always on. See `CABundle` for how `caFile` is combined with the
/// system store.
public final class HTTPClient: HTTPSending {
    public struct Configuration: Sendable {
        /// Limit for establishing the TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// Default limit for a whole exchange; a request's own `timeout` wins.
        public var timeout: Duration
        /// An extra PEM CA bundle (SSL_CERT_FILE) trusted in addition to the system store.
        public var caFile: String?
        /// Transfers running at once; each keeps its own connections alive for reuse.
        public var maxConcurrentTransfers: Int
        public var userAgent: String
        /// Follow 3xx redirects (up to 5). Off by default: APIs here never redirect, and a redirect
        /// to another host would carry the request's headers along.
        public var followRedirects: Bool
        /// Asked for every address a new connection would go to, after DNS and before the socket is opened,
        /// so a name whose answer changes between requests (DNS rebinding) is checked each time. Returns why
        /// the connection is refused (the request then fails with `.addressRefused`), or nil to allow it.
        /// When set, proxies from the environment are not used: the check must see the real destination.
        public var connectionFilter: (@Sendable (HTTPConnectAddress) -> String?)?
        /// curl's `--resolve` entries, `HOST:PORT:ADDRESS`: answers used instead of DNS (tests, pinned hosts).
        public var resolve: [String]

        public init(
            connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30), caFile: String? = nil,
            maxConcurrentTransfers: Int = 4, userAgent: String = "clanbot/\(ClanbotVersion.current)", followRedirects: Bool = false,
            connectionFilter: (@Sendable (HTTPConnectAddress) -> String?)? = nil, resolve: [String] = []
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.caFile = caFile
            self.maxConcurrentTransfers = maxConcurrentTransfers
            self.userAgent = userAgent
            self.followRedirects = followRedirects
            self.connectionFilter = connectionFilter
            self.resolve = resolve
        }
    }

    public let configuration: Configuration
    private let pool: CurlWorkerPool
    private let caBundle: Data?

    /// Throws `.tlsConfiguration` when `caFile` cannot be read or holds no certificate.
    public init(configuration: Configuration = Configuration()) throws(HTTPError) {
        self.configuration = configuration
        caBundle = try configuration.caFile.map { path throws(HTTPError) in try CABundle.combined(extraFile: path) }
        pool = CurlWorkerPool(maxThreads: configuration.maxConcurrentTransfers, name: "clanbot-http")
    }

    deinit { pool.shutdown() }

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let flag = CancellationFlag()
        let settings = TransferSettings(configuration: configuration, caBundle: caBundle)
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let accepted = pool.submit(cancel: flag) { easy in
                    let result: Result<HTTPResponse, HTTPError> = if let easy {
                        Transfer.perform(request, on: easy, settings: settings, cancel: flag)
                    } else {
                        .failure(.transfer(code: -1, message: "no curl handle available"))
                    }
                    return { continuation.resume(returning: result) }
                }
                if !accepted { continuation.resume(returning: .failure(.clientClosed)) }
            }
        } onCancel: {
            flag.cancel()
        }
        return try result.get()
    }
}

/// An address a connection is about to be made to: 4 bytes (IPv4) or 16 (IPv6), network order.
public struct HTTPConnectAddress: Sendable, Hashable {
    public let bytes: [UInt8]
}

/// What every transfer of one client shares.
struct TransferSettings: Sendable {
    let configuration: HTTPClient.Configuration
    let caBundle: Data?
}
