#if canImport(Glibc)
import Glibc
#endif

/// A connected, non-blocking TCP socket. Owns its descriptor and closes it in `close()` or deinit.
public final class TCPSocket: ByteStream {
    public private(set) var fileDescriptor: Int32

    /// Takes ownership of an already connected descriptor (a test server's accepted connection)
    /// and makes it non-blocking.
    public init(adopting fd: Int32) {
        fileDescriptor = fd
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        TCPSocket.setNoDelay(fd)
    }

    deinit { close() }

    /// Resolves `host` (IPv4 and IPv6, in the resolver's order) and connects to the first address
    /// that answers before `timeout` runs out.
    public static func connect(host: String, port: UInt16, timeout: Duration) throws(TransportError) -> TCPSocket {
        let deadline = Deadline.after(timeout)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        if status != 0 {
            // AI_ADDRCONFIG hides loopback-only families on hosts without a configured address; retry without it.
            hints.ai_flags = AI_NUMERICSERV
            let retry = getaddrinfo(host, String(port), &hints, &list)
            guard retry == 0 else {
                throw .nameResolutionFailed(host: host, detail: String(cString: gai_strerror(retry)))
            }
        }
        defer { freeaddrinfo(list) }
        var lastError: TransportError = .connectFailed(host: host, port: port, detail: "no addresses")
        var entry = list
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard fd >= 0 else {
                lastError = .system(call: "socket", errno: errno)
                continue
            }
            if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 || errno == EISCONN {
                return TCPSocket(connected: fd)
            }
            guard errno == EINPROGRESS else {
                lastError = .connectFailed(host: host, port: port, detail: String(cString: strerror(errno)))
                Glibc.close(fd)
                continue
            }
            do {
                try Poller.wait(fd, for: .write, until: deadline)
            } catch {
                Glibc.close(fd)
                if case .writeTimedOut = error { throw .connectTimedOut(host: host, port: port, seconds: deadline.seconds) }
                throw error
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError == 0 { return TCPSocket(connected: fd) }
            lastError = .connectFailed(host: host, port: port, detail: String(cString: strerror(socketError)))
            Glibc.close(fd)
        }
        throw lastError
    }

    private init(connected fd: Int32) {
        fileDescriptor = fd
        TCPSocket.setNoDelay(fd)
    }

    private static func setNoDelay(_ fd: Int32) {
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    public var hasBufferedInput: Bool { false }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> IOResult {
        while true {
            let count = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(.read)
            case ECONNRESET, EPIPE, ETIMEDOUT:
                throw .connectionLost(detail: "the peer reset the connection (\(String(cString: strerror(errno))))")
            default: throw .system(call: "recv", errno: errno)
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(TransportError) -> IOResult {
        while true {
            // MSG_NOSIGNAL: a closed peer must be an error, not SIGPIPE.
            let count = send(fileDescriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count == 0 && bytes.count > 0 ? .wouldBlock(.write) : .transferred(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(.write)
            case ECONNRESET, EPIPE, ETIMEDOUT:
                throw .connectionLost(detail: "the peer reset the connection (\(String(cString: strerror(errno))))")
            default: throw .system(call: "send", errno: errno)
            }
        }
    }

    public func close() {
        if fileDescriptor >= 0 {
            Glibc.close(fileDescriptor)
            fileDescriptor = -1
        }
    }
}
