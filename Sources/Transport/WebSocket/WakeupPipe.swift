#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that wakes a connection's I/O thread (WebSocket, PostgreSQL) out of poll(2) when a caller queues work.
/// Owns both descriptors; they stay open until the last holder (client or I/O thread) lets go.
public final class WakeupPipe: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public init() throws(TransportError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Safe from any thread. A full pipe already means "wake up", so EAGAIN is fine.
    public func signal() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeEnd, &byte, 1)
    }

    /// Empties the pipe (I/O thread only).
    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while Glibc.read(readEnd, &scratch, scratch.count) > 0 {}
    }

    deinit {
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }
}
