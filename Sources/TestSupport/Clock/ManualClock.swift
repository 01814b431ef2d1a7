import Domain
import Foundation
import Threads

/// A clock that moves only when the test says so: code under test sleeps on it, the test calls
/// `advance(by:)` and every sleeper whose deadline has come wakes up. Nothing waits in real time.
///
/// It is also a `WallClock` starting at `start`: give it to a background loop and give `dateSource` to the
/// services, then `advanceAndWait(to:)` runs the loop's next pass and returns once it is done.
///
/// Sleepers are woken after the lock is released (`ResumeAfterUnlock`): `sleep`'s cancellation handler
/// takes the same lock, and resuming under it can deadlock against `Task.cancel()`.
public final class ManualClock: Clock, WallClock, Sendable {
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
        /// `now` as a date, kept exactly as a test set it (no round trip through `Duration`).
        var date: Date
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Call after the sleepers changed.
        mutating func notifyWatchers(_ resumes: inout ResumeAfterUnlock) {
            let count = sleepers.count
            let ready = watchers.filter { count >= $0.count }
            watchers.removeAll { count >= $0.count }
            for watcher in ready { resumes.add { watcher.continuation.resume() } }
        }
    }

    private let state: LockedValue<State>
    /// The date at `Instant(offset: .zero)`.
    private let start: Date

    public init(start: Date = Date(timeIntervalSince1970: 0)) {
        self.start = start
        state = LockedValue(State(date: start))
    }

    public var now: Instant { state.value.now }
    public var minimumResolution: Duration { .zero }

    /// Seconds since the clock was made, for recording when something happened.
    public var elapsedSeconds: Double {
        let (seconds, attoseconds) = now.offset.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The clock's time as a date (`start` plus the time it was moved on).
    public var date: Date { state.value.date }

    /// `date` as a function, for services that read the time through a closure.
    public var dateSource: @Sendable () -> Date { { [self] in self.date } }

    private func instant(at date: Date) -> Instant {
        Instant(offset: .seconds(date.timeIntervalSince(start)))
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
                var resumes = ResumeAfterUnlock()
                state.withLock { state in
                    if state.cancelled.remove(id) != nil {
                        resumes.add { continuation.resume(throwing: CancellationError()) }
                    } else if deadline <= state.now {
                        resumes.add { continuation.resume() }
                    } else {
                        state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        state.notifyWatchers(&resumes)
                    }
                }
                resumes.run()
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) { return state.sleepers.remove(at: index) }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    public func sleep(until deadline: Date) async throws {
        try await sleep(until: instant(at: deadline), tolerance: nil)
    }

    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration), tolerance: nil)
    }

    /// Returns once at least `count` tasks are asleep on the clock: a timer set in a task of its own is
    /// then surely waiting, so `advance` reaches it.
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enough = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if enough { continuation.resume() }
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        move { ($0.now.advanced(by: duration), $0.date.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)) }
    }

    /// Moves the clock to `date` (forward, or back for a test that needs it) and wakes every sleeper whose
    /// deadline has come, earliest first.
    public func set(_ date: Date) {
        let target = instant(at: date)
        move { _ in (target, date) }
    }

    /// Runs the next pass of `loops` background loops sleeping on this clock: waits until they all sleep (each
    /// done with its current pass), moves time forward, then returns once they all sleep again. Only for tasks
    /// that sleep again after every wake-up; a loop whose deadline has not come is left asleep.
    public func advanceAndWait(by duration: Duration, loops: Int = 1) async {
        await waitForSleepers(loops)
        advance(by: duration)
        await waitForSleepers(loops)
    }

    /// `advanceAndWait(by:loops:)` to `date`.
    public func advanceAndWait(to date: Date, loops: Int = 1) async {
        await waitForSleepers(loops)
        set(date)
        await waitForSleepers(loops)
    }

    private func move(_ to: (State) -> (Instant, Date)) {
        let due = state.withLock { state in
            (state.now, state.date) = to(state)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
