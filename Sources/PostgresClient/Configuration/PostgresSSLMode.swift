/// Whether and how a connection uses TLS, named as libpq names them (`?sslmode=` in the URL).
public enum PostgresSSLMode: String, Sendable, Equatable, CaseIterable {
    /// Plain TCP. Only for a server on the same machine or a private network you trust.
    case disable
    /// TLS, but the server's certificate is not checked: protects against eavesdropping, not impersonation.
    case require
    /// TLS with the certificate chain checked against the trusted CAs and the host name checked against it.
    case verifyFull = "verify-full"
}
