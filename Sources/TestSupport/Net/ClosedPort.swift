import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that refuses every connection for as long as this value lives: the socket is bound
/// but never listens, so a connect gets ECONNREFUSED at once, and no other test's server can take the
/// port in the meantime (which a "bind, then close" port allows).
public final class ClosedPort: Sendable {
    public let port: UInt16
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TCPListener.ListenerError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw TCPListener.ListenerError.system("bind", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            throw TCPListener.ListenerError.system("getsockname", code)
        }
        self.fd = fd
        port = UInt16(bigEndian: actual.sin_port)
    }

    /// `http(s)://127.0.0.1:<port>`, for URLs that must fail to connect.
    public func baseURL(scheme: String = "https") -> String { "\(scheme)://127.0.0.1:\(port)" }

    deinit { close(fd) }
}
