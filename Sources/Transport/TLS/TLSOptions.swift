/// How a TLS client verifies the server.
public struct TLSOptions: Sendable, Equatable {
    /// Trust the system's CA store (on by default).
    public var useSystemTrustStore: Bool
    /// An extra PEM bundle of CAs to trust, such as the value of SSL_CERT_FILE (the caller reads the environment).
    public var additionalCAFile: String?
    /// The name to verify and send as SNI when it differs from the host connected to.
    var serverNameOverride: String?
    /// False only where the operator asked for encryption without authentication (PostgreSQL's sslmode=require):
    /// the handshake then succeeds whatever certificate the server shows.
    public var verifiesCertificate: Bool

    public init(useSystemTrustStore: Bool = true, additionalCAFile: String? = nil, serverNameOverride: String? = nil,
                verifiesCertificate: Bool = true) {
        self.useSystemTrustStore = useSystemTrustStore
        self.additionalCAFile = additionalCAFile
        self.serverNameOverride = serverNameOverride
        self.verifiesCertificate = verifiesCertificate
    }
}
