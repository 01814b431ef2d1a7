import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A TLS session over a TCP socket. Owns the SSL* and the socket and frees both in `close()`/deinit.
/// Non-blocking like the socket below it; one thread at a time.
public final class TLSStream: ByteStream {
    private var ssl: OpaquePointer?
    private let socket: TCPSocket
    private let context: TLSContext  // keeps the SSL_CTX alive as long as the session
    private var broken = false       // after a fatal error OpenSSL forbids SSL_shutdown

    public var fileDescriptor: Int32 { socket.fileDescriptor }

    /// Runs the client handshake: SNI for `host` (unless it is an IP address), certificate chain
    /// verification and host-name (or IP) verification.
    public static func connect(
        socket: TCPSocket, host: String, context: TLSContext, deadline: Deadline
    ) throws(TransportError) -> TLSStream {
        let stream = try TLSStream(socket: socket, context: context)
        guard let ssl = stream.ssl else { throw .tlsConfiguration(detail: "SSL_new failed") }
        ERR_clear_error()
        if TLSStream.isIPAddress(host) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw .tlsConfiguration(detail: "cannot verify IP address \(host): " + OpenSSLErrors.drain(fallback: "rejected"))
            }
        } else {
            guard clanbot_SSL_set_tlsext_host_name(ssl, host) == 1, SSL_set1_host(ssl, host) == 1 else {
                throw .tlsConfiguration(detail: "cannot set server name \(host): " + OpenSSLErrors.drain(fallback: "rejected"))
            }
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        }
        try stream.handshake(deadline: deadline, host: host) { SSL_connect($0) }
        return stream
    }

    /// Runs the server handshake (test servers).
    public static func accept(socket: TCPSocket, context: TLSContext, deadline: Deadline) throws(TransportError) -> TLSStream {
        let stream = try TLSStream(socket: socket, context: context)
        try stream.handshake(deadline: deadline, host: "client") { SSL_accept($0) }
        return stream
    }

    private init(socket: TCPSocket, context: TLSContext) throws(TransportError) {
        self.socket = socket
        self.context = context
        guard let ssl = SSL_new(context.context) else {
            throw .tlsConfiguration(detail: OpenSSLErrors.drain(fallback: "SSL_new failed"))
        }
        self.ssl = ssl
        guard SSL_set_fd(ssl, socket.fileDescriptor) == 1 else {
            throw .tlsConfiguration(detail: OpenSSLErrors.drain(fallback: "SSL_set_fd failed"))
        }
    }

    deinit { close() }

    private func handshake(deadline: Deadline, host: String, step: (OpaquePointer) -> Int32) throws(TransportError) {
        guard let ssl else { throw .tlsConfiguration(detail: "session already closed") }
        while true {
            ERR_clear_error()
            let result = step(ssl)
            if result == 1 { return }
            let error = SSL_get_error(ssl, result)
            switch error {
            case SSL_ERROR_WANT_READ:
                try waitDuringHandshake(.read, deadline: deadline, host: host)
            case SSL_ERROR_WANT_WRITE:
                try waitDuringHandshake(.write, deadline: deadline, host: host)
            default:
                broken = true
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    let reason = String(cString: X509_verify_cert_error_string(verify))
                    ERR_clear_error()
                    if verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH {
                        throw .certificateHostMismatch(host: host, reason: reason)
                    }
                    throw .certificateNotTrusted(host: host, reason: reason)
                }
                let fallback = error == SSL_ERROR_SYSCALL
                    ? (errno == 0 ? "the peer closed the connection during the handshake" : String(cString: strerror(errno)))
                    : "handshake error \(error)"
                throw .tlsHandshakeFailed(host: host, detail: OpenSSLErrors.drain(fallback: fallback))
            }
        }
    }

    private func waitDuringHandshake(_ interest: IOInterest, deadline: Deadline, host: String) throws(TransportError) {
        do {
            try Poller.wait(fileDescriptor, for: interest, until: deadline)
        } catch {
            switch error {
            case .readTimedOut, .writeTimedOut:
                throw .tlsHandshakeFailed(host: host, detail: "no answer within \(String(format: "%.1f", deadline.seconds)) s")
            default: throw error
            }
        }
    }

    public var hasBufferedInput: Bool {
        guard let ssl else { return false }
        return SSL_pending(ssl) > 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOResult {
        guard let ssl else { return .endOfStream }
        ERR_clear_error()
        let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if count > 0 { return .transferred(Int(count)) }
        return try interpret(count, ssl: ssl, reading: true)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOResult {
        guard let ssl else { throw .connectionLost(detail: "the TLS session is closed") }
        if bytes.isEmpty { return .transferred(0) }
        ERR_clear_error()
        let count = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        if count > 0 { return .transferred(Int(count)) }
        return try interpret(count, ssl: ssl, reading: false)
    }

    private func interpret(_ result: Int32, ssl: OpaquePointer, reading: Bool) throws(TransportError) -> IOResult {
        let savedErrno = errno
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ: return .wouldBlock(.read)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(.write)
        case SSL_ERROR_ZERO_RETURN:
            // The peer sent close_notify: an orderly end of stream.
            if reading { return .endOfStream }
            throw .connectionLost(detail: "the peer closed the TLS session")
        case SSL_ERROR_SYSCALL:
            broken = true
            let detail = OpenSSLErrors.drain(fallback: savedErrno == 0 ? "" : String(cString: strerror(savedErrno)))
            if reading && detail.isEmpty { return .endOfStream }
            throw .connectionLost(detail: detail.isEmpty ? "the peer closed the connection" : detail)
        default:
            broken = true
            let code = ERR_peek_last_error()
            if reading && clanbot_ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                // TCP closed without close_notify: the layer above decides whether that was clean.
                ERR_clear_error()
                return .endOfStream
            }
            throw .tlsFailure(detail: OpenSSLErrors.drain(fallback: "SSL error \(error)"))
        }
    }

    /// Sends close_notify (best effort, without waiting for the peer's), frees the session, closes the socket.
    public func close() {
        if let ssl {
            if !broken {
                ERR_clear_error()
                _ = SSL_shutdown(ssl)
                ERR_clear_error()
            }
            SSL_free(ssl)
            self.ssl = nil
        }
        socket.close()
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
