/// A clock that moves only when the test says so: code under test sleeps on it, the test calls
/// `advance(by:)` and every sleeper whose deadline has come wakes up. Nothing waits in real time.
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was made.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
    }

    private struct Sleeper {
        let id: UInt64
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Call after the sleepers changed.
        mutating func notifyWatchers() {
            let count = sleepers.count
            let ready = watchers.filter { count >= $0.count }
            watchers.removeAll { count >= $0.count }
            for watcher in ready { watcher.continuation.resume() }
        }
    }

    private let state = LockedValue(State())

    public init() {}

    public var now: Instant { state.value.now }
    public var minimumResolution: Duration { .zero }

    /// Seconds since the clock was made, for recording when something happened.
    public var elapsedSeconds: Double {
        let (seconds, attoseconds) = now.offset.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// How many tasks are asleep on this clock now.
    public var sleeping: Int { state.value.sleepers.count }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { state in
                    if state.cancelled.remove(id) != nil {
                        continuation.resume(throwing: CancellationError())
                    } else if deadline <= state.now {
                        continuation.resume()
                    } else {
                        state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        state.notifyWatchers()
                    }
                }
            }
        } onCancel: {
            state.withLock { state in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    state.sleepers.remove(at: index).continuation.resume(throwing: CancellationError())
                } else {
                    state.cancelled.insert(id)
                }
            }
        }
    }

    /// Returns once at least `count` tasks are asleep on the clock: a timer set in a task of its own is
    /// then surely waiting, so `advance` reaches it.
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock { state in
                if state.sleepers.count >= count {
                    continuation.resume()
                } else {
                    state.watchers.append((count, continuation))
                }
            }
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            for sleeper in due { sleeper.continuation.resume() }
        }
    }
}
