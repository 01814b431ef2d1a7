#if canImport(Glibc)
import Glibc
#endif

/// poll(2) for one descriptor, with deadlines turned into typed timeouts.
public enum Poller {
    /// Waits until `fd` is ready for `interest` or `deadline` passes (then throws the matching timeout).
    public static func wait(_ fd: Int32, for interest: IOInterest, until deadline: Deadline) throws(TransportError) {
        var entry = pollfd(fd: fd, events: Int16(interest == .read ? POLLIN : POLLOUT), revents: 0)
        while true {
            let timeout = deadline.pollTimeout
            let ready = poll(&entry, 1, timeout)
            if ready > 0 { return }  // readable, writable, or an error the next call will report
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(call: "poll", errno: errno)
            }
            if deadline.hasPassed {
                throw interest == .read ? .readTimedOut(seconds: deadline.seconds) : .writeTimedOut(seconds: deadline.seconds)
            }
        }
    }
}
