import Transport

/// How a connection behaves beyond where it connects to (that is `PostgresConfiguration`).
public struct PostgresConnectionOptions: Sendable, Equatable {
    /// An extra PEM CA bundle trusted for verify-full, such as the value of SSL_CERT_FILE (the caller reads the
    /// environment); the URL's sslrootcert takes its place when given.
    public var additionalCAFile: String?
    /// A statement that makes no progress (no message from the server) for this long drops the connection.
    /// nil waits for ever.
    public var statementTimeout: Duration?
    /// NOTIFY payloads kept for a reader who is behind; the oldest go first beyond this.
    public var notificationBuffer: Int
    /// A server message longer than this is refused (and the connection dropped).
    public var maximumMessageSize: Int

    public init(additionalCAFile: String? = nil, statementTimeout: Duration? = .seconds(60),
                notificationBuffer: Int = 1_000, maximumMessageSize: Int = 64 * 1024 * 1024) {
        self.additionalCAFile = additionalCAFile
        self.statementTimeout = statementTimeout
        self.notificationBuffer = notificationBuffer
        self.maximumMessageSize = maximumMessageSize
    }

    /// The TLS settings for `configuration`'s sslmode, nil for sslmode=disable.
    func tlsOptions(for configuration: PostgresConfiguration) -> TLSOptions? {
        switch configuration.sslMode {
        case .disable: nil
        case .require: TLSOptions(useSystemTrustStore: false, verifiesCertificate: false)
        case .verifyFull: TLSOptions(additionalCAFile: configuration.sslRootCertificate ?? additionalCAFile)
        }
    }
}
