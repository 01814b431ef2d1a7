import Foundation
import Testing
import TestSupport
@testable import Discord

/// The identify queue with a coordinator standing for the other processes (issue 15): the local scheduler goes
/// first and counts the daily budget, then the coordinator may make the shard wait. Time is a `ManualClock`.
@Suite struct IdentifyQueueTests {
    /// Answers from a script, in order (then `.proceed`), and records when and for which bucket it was asked.
    final class ScriptedCoordinator: IdentifyCoordinator {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "database unreachable" }
        }

        let clock: ManualClock
        let script: LockedValue<[Result<IdentifyCoordination, Failure>]>
        let asked = LockedValue<[(bucket: Int, interval: Duration, at: Double)]>([])

        init(clock: ManualClock, _ script: [Result<IdentifyCoordination, Failure>]) {
            self.clock = clock
            self.script = LockedValue(script)
        }

        func reserve(bucket: Int, interval: Duration) async throws -> IdentifyCoordination {
            asked.withLock { $0.append((bucket, interval, clock.elapsedSeconds)) }
            let next = script.withLock { $0.isEmpty ? .success(.proceed) : $0.removeFirst() }
            return try next.get()
        }
    }

    static func timing(_ clock: ManualClock) -> IdentifyQueue.Timing {
        IdentifyQueue.Timing(now: { clock.elapsedSeconds }, sleep: { try await clock.sleep(for: .seconds($0)) })
    }

    static let limit = SessionStartLimit(total: 1000, remaining: 500, resetAfter: 86_400_000, maxConcurrency: 2)

    @Test func aShardWaitsWhileAnotherProcessHoldsItsBucketAndSpendsTheBudgetOnce() async throws {
        let clock = ManualClock()
        let coordinator = ScriptedCoordinator(clock: clock, [.success(.wait(.seconds(3))), .success(.wait(.seconds(1)))])
        let queue = IdentifyQueue(limit: Self.limit, timing: Self.timing(clock), coordinator: coordinator)
        let identify = Task { try await queue.acquire(shard: 2) }
        await clock.waitForSleepers(1)
        #expect(await queue.remaining == 499)  // counted when the local scheduler let it go, not per question
        clock.advance(by: .seconds(3))
        await clock.waitForSleepers(1)  // told to wait again
        clock.advance(by: .seconds(1))
        try await identify.value
        #expect(await queue.remaining == 499)
        let asked = coordinator.asked.value
        #expect(asked.map(\.bucket) == [0, 0, 0])  // shard 2 % max_concurrency 2
        #expect(asked.map(\.at) == [0, 3, 4])
        #expect(asked.allSatisfy { $0.interval == .seconds(5) })
    }

    @Test func afterWaitingForAnotherProcessTheLocalBucketCountsFromTheActualIdentify() async throws {
        let clock = ManualClock()
        let coordinator = ScriptedCoordinator(clock: clock, [.success(.wait(.seconds(3)))])
        let queue = IdentifyQueue(limit: Self.limit, timing: Self.timing(clock), coordinator: coordinator)
        let first = Task { try await queue.acquire(shard: 0) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        try await first.value  // identified at 3 s

        let second = Task { try await queue.acquire(shard: 2) }  // the same bucket, in this process
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))  // 7 s: 5 s after the planned slot, but not after the identify
        #expect(clock.sleeping == 1)
        clock.advance(by: .seconds(1))
        try await second.value
        #expect(coordinator.asked.value.map(\.at) == [0, 3, 8])
        #expect(await queue.remaining == 498)
    }

    @Test func whenTheCoordinatorFailsTheShardIdentifiesUnderTheLocalRuleAndItIsSaid() async throws {
        let clock = ManualClock()
        let coordinator = ScriptedCoordinator(clock: clock, [.failure(.init())])
        let reports = LockedValue<[String]>([])
        let queue = IdentifyQueue(limit: Self.limit, timing: Self.timing(clock), coordinator: coordinator,
                                  report: { message in reports.withLock { $0.append(message) } })
        try await queue.acquire(shard: 1)  // no wait: the local bucket is free
        #expect(await queue.remaining == 499)
        #expect(reports.value.count == 1)
        #expect(reports.value.first?.contains("database unreachable") == true)
        #expect(reports.value.first?.contains("bucket 1") == true)

        // The local rule still holds: shard 3 (bucket 1) waits its 5 s.
        let next = Task { try await queue.acquire(shard: 3) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        try await next.value
        #expect(coordinator.asked.value.map(\.at) == [0, 5])
    }

    @Test func aShardCancelledWhileWaitingForAnotherProcessDoesNotIdentify() async throws {
        let clock = ManualClock()
        let coordinator = ScriptedCoordinator(clock: clock, [.success(.wait(.seconds(5)))])
        let queue = IdentifyQueue(limit: Self.limit, timing: Self.timing(clock), coordinator: coordinator)
        let identify = Task { try await queue.acquire(shard: 0) }
        await clock.waitForSleepers(1)
        identify.cancel()
        await #expect(throws: CancellationError.self) { try await identify.value }
        #expect(coordinator.asked.value.count == 1)
    }

    @Test func theSchedulerCountsABucketFromAnIdentifyLaterThanPlanned() {
        var scheduler = IdentifyScheduler(limit: Self.limit, now: 0)
        #expect(scheduler.reserve(shard: 0, now: 0) == .proceed(remaining: 499, low: false))
        scheduler.identified(shard: 0, now: 2)
        #expect(scheduler.reserve(shard: 2, now: 5) == .wait(seconds: 2, reason: .concurrency))
        scheduler.identified(shard: 2, now: 1)  // earlier than planned: never shortens the bucket's wait
        #expect(scheduler.reserve(shard: 2, now: 6.5) == .wait(seconds: 0.5, reason: .concurrency))
        #expect(scheduler.reserve(shard: 2, now: 7) == .proceed(remaining: 498, low: false))
    }
}
