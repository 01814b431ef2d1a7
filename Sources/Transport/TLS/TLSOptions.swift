/// How a TLS client verifies the server.
public struct TLSOptions: Sendable, Equatable {
    /// Trust the system's CA store (on by default).
    public var useSystemTrustStore: Bool
    /// An extra PEM bundle of CAs to trust, such as the value of SSL_CERT_FILE (the caller reads the environment).
    public var additionalCAFile: String?
    /// The name to verify and send as SNI when it differs from the host connected to.
    public var serverNameOverride: String?

    public init(useSystemTrustStore: Bool = true, additionalCAFile: String? = nil, serverNameOverride: String? = nil) {
        self.useSystemTrustStore = useSystemTrustStore
        self.additionalCAFile = additionalCAFile
        self.serverNameOverride = serverNameOverride
    }
}
