import Foundation

/// The time background loops read and sleep on. `clanbot run` uses the system's (`SystemWallClock`, in
/// Services); tests use TestSupport's `ManualClock`, so a loop's next pass comes when the test moves time,
/// not after a real wait. Only the protocol lives here: the domain never reads the time itself.
public protocol WallClock: Sendable {
    /// The current time.
    var date: Date { get }
    /// Returns once `deadline` has come (at once when it has passed); throws `CancellationError` when the task
    /// is cancelled first.
    func sleep(until deadline: Date) async throws
    /// Returns once `duration` has passed (at once for zero or less); throws `CancellationError` when the task
    /// is cancelled first.
    func sleep(for duration: Duration) async throws
}

extension WallClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: date.addingTimeInterval(duration.timeInterval))
    }
}

extension Duration {
    /// The duration in seconds, for date arithmetic.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
