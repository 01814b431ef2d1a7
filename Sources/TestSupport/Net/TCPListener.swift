import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP listener for test servers: binds 127.0.0.1 on a free port and hands every
/// accepted connection's file descriptor to `handler` on a thread of its own.
/// The handler owns the descriptor and must close it.
public final class TCPListener: Sendable {
    public let port: UInt16
    private let fd: Int32
    private let state = LockedValue(false)  // true once stopped

    public enum ListenerError: Error, CustomStringConvertible {
        case system(String, Int32)
        public var description: String {
            switch self {
            case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    public init(handler: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ListenerError.system("socket", errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw ListenerError.system("bind", code)
        }
        guard listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw ListenerError.system("listen", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = UInt16(bigEndian: actual.sin_port)
        let state = self.state
        let thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if (errno == EINTR || errno == ECONNABORTED) && !state.value { continue }
                    // stop() shut the socket down. Only this thread closes the descriptor, so its number
                    // cannot be reused by another test's socket while accept could still be called on it.
                    close(fd)
                    return
                }
                if state.value {
                    close(client)
                    close(fd)
                    return
                }
                let worker = Thread { handler(client) }
                worker.start()
            }
        }
        thread.name = "TCPListener:\(port)"
        thread.start()
    }

    /// Stops accepting. Connections already handed out stay with their handlers.
    public func stop() {
        let wasStopped = state.withLock { stopped -> Bool in
            defer { stopped = true }
            return stopped
        }
        // Wake the accept thread; it closes the descriptor itself (see the accept loop).
        if !wasStopped { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }
}

/// A value guarded by a lock, for test servers that share state between threads. A class around a `Mutex`
/// (which cannot be copied) so that closures and threads can share it.
public final class LockedValue<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>

    public init(_ value: Value) { stored = Mutex(value) }

    public var value: Value {
        stored.withLock { $0 }
    }

    @discardableResult
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try stored.withLock { value throws -> T in try body(&value) }
    }
}
