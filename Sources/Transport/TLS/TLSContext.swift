import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSL SSL_CTX: TLS 1.2 or newer, with its trust store (client) or certificate (server).
/// Owns the SSL_CTX* and frees it in deinit. Immutable once built, so sessions may share it across threads.
public final class TLSContext: @unchecked Sendable {
    // Safe to share: after init the SSL_CTX is only read (SSL_new), which OpenSSL allows from any thread.
    let context: OpaquePointer

    /// A client context that verifies servers against the system store and/or `options.additionalCAFile`.
    public init(client options: TLSOptions) throws(TransportError) {
        TLSContext.ignoreSIGPIPE()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .tlsConfiguration(detail: OpenSSLErrors.drain(fallback: "SSL_CTX_new failed"))
        }
        self.context = context
        try configureCommon()
        SSL_CTX_set_verify(context, options.verifiesCertificate ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if options.useSystemTrustStore, SSL_CTX_set_default_verify_paths(context) != 1 {
            throw .tlsConfiguration(detail: "cannot load the system CA store: " + OpenSSLErrors.drain(fallback: "unknown error"))
        }
        if let file = options.additionalCAFile {
            guard access(file, R_OK) == 0 else {
                throw .tlsConfiguration(detail: "CA file \(file) (SSL_CERT_FILE) cannot be read: \(String(cString: strerror(errno)))")
            }
            if SSL_CTX_load_verify_locations(context, file, nil) != 1 {
                throw .tlsConfiguration(detail: "CA file \(file) (SSL_CERT_FILE) holds no usable PEM certificate: " + OpenSSLErrors.drain(fallback: "unknown error"))
            }
        }
    }

    /// A server context presenting `certificatePEM` (leaf first, then any chain) with `privateKeyPEM`.
    /// Used by test servers.
    public init(serverCertificatePEM certificatePEM: String, privateKeyPEM: String) throws(TransportError) {
        TLSContext.ignoreSIGPIPE()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .tlsConfiguration(detail: OpenSSLErrors.drain(fallback: "SSL_CTX_new failed"))
        }
        self.context = context
        try configureCommon()
        let loaded = certificatePEM.withCString { pem -> Bool in
            guard let bio = BIO_new_mem_buf(pem, -1) else { return false }
            defer { BIO_free(bio) }
            guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
            defer { X509_free(certificate) }
            return SSL_CTX_use_certificate(context, certificate) == 1
        }
        guard loaded else { throw .tlsConfiguration(detail: "server certificate: " + OpenSSLErrors.drain(fallback: "not a PEM certificate")) }
        let keyLoaded = privateKeyPEM.withCString { pem -> Bool in
            guard let bio = BIO_new_mem_buf(pem, -1) else { return false }
            defer { BIO_free(bio) }
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { return false }
            defer { EVP_PKEY_free(key) }
            return SSL_CTX_use_PrivateKey(context, key) == 1
        }
        guard keyLoaded, SSL_CTX_check_private_key(context) == 1 else {
            throw .tlsConfiguration(detail: "server private key: " + OpenSSLErrors.drain(fallback: "not a PEM key matching the certificate"))
        }
    }

    private func configureCommon() throws(TransportError) {
        guard clanbot_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .tlsConfiguration(detail: "cannot require TLS 1.2: " + OpenSSLErrors.drain(fallback: "unknown error"))
        }
        // Partial writes and a moving buffer let the non-blocking writer retry with what is left.
        _ = clanbot_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
    }

    deinit { SSL_CTX_free(context) }

    /// OpenSSL writes to sockets with write(2), which raises SIGPIPE when the peer is gone.
    /// Every program using TLS must survive that, so it is ignored process-wide, once.
    private static let sigpipeIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    static func ignoreSIGPIPE() { _ = sigpipeIgnored }
}
