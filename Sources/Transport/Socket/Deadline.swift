#if canImport(Glibc)
import Glibc
#endif

/// A point on the monotonic clock, or never. Used for every timeout in the transport.
public struct Deadline: Sendable, Equatable, Comparable {
    /// Nanoseconds on CLOCK_MONOTONIC; UInt64.max means no deadline.
    public let nanoseconds: UInt64
    /// The timeout this deadline was made from, for error messages.
    public let seconds: Double

    public static let never = Deadline(nanoseconds: .max, seconds: .infinity)

    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    public static func after(_ duration: Duration) -> Deadline {
        let nanos = duration.nanoseconds
        return Deadline(nanoseconds: now() &+ UInt64(max(0, nanos)), seconds: Double(nanos) / 1e9)
    }

    public static func after(_ duration: Duration?) -> Deadline {
        duration.map { after($0) } ?? .never
    }

    /// `duration` after the monotonic time `now` (nanoseconds): for state machines that are handed the time.
    public static func after(_ duration: Duration, from now: UInt64) -> Deadline {
        let nanos = duration.nanoseconds
        return Deadline(nanoseconds: now &+ UInt64(max(0, nanos)), seconds: Double(nanos) / 1e9)
    }

    /// A deadline that has always passed: act at once.
    public static let passed = Deadline(nanoseconds: 0, seconds: 0)

    init(nanoseconds: UInt64, seconds: Double) {
        self.nanoseconds = nanoseconds
        self.seconds = seconds
    }

    public var hasPassed: Bool { hasPassed(at: Deadline.now()) }

    public func hasPassed(at now: UInt64) -> Bool { nanoseconds != .max && now >= nanoseconds }

    /// Milliseconds left for poll(2): -1 for never, 0 when passed, rounded up otherwise.
    public var pollTimeout: Int32 {
        if nanoseconds == .max { return -1 }
        let now = Deadline.now()
        if now >= nanoseconds { return 0 }
        return Int32(min((nanoseconds - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled &+ attoseconds / 1_000_000_000
    }
}
