import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Accepts TCP connections on 127.0.0.1 (a free port) and hands each to `handler` on its own thread.
///
/// Like `TCPListener`, but safe to stop while tests run in parallel: `stop()` only shuts the socket
/// down, and the accept thread closes the descriptor after it has left `accept`. (Closing it from
/// `stop()` frees the number while the accept thread may still be about to call `accept` on it; the
/// kernel can hand that number to another test's new socket, whose connections the stopped thread
/// would then accept and drop — seen as "connection reset by peer" in an unrelated test.)
final class LoopbackAcceptor: Sendable {
    let port: UInt16
    private let fd: Int32
    private let stopped = LockedValue(false)

    init(handler: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TCPListener.ListenerError.system("socket", errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw TCPListener.ListenerError.system(bound == 0 ? "listen" : "bind", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = UInt16(bigEndian: actual.sin_port)
        let stopped = self.stopped
        let thread = Thread {
            defer { close(fd) }  // only here, once nothing can call accept on it any more
            while !stopped.value {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                if stopped.value {
                    close(client)
                    return
                }
                Thread { handler(client) }.start()
            }
        }
        thread.name = "LoopbackAcceptor:\(port)"
        thread.start()
    }

    /// Stops accepting; the accept thread wakes up and closes the socket.
    func stop() {
        let first = stopped.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        if first { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }
}
