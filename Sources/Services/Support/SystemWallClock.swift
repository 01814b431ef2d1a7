import Domain
import Foundation

/// The system's clock, for `clanbot run`'s loops: the time of day from `Date()`, sleeps measured on the
/// monotonic clock (`Task.sleep`), so a change of the system time does not stretch a wait already started.
public struct SystemWallClock: WallClock {
    public init() {}

    public var date: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        try await Task.sleep(for: .milliseconds(max(0, Int64((deadline.timeIntervalSinceNow * 1000).rounded(.up)))))
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
