import Foundation
import Transport

/// Shared by every shard of a process: hands out identify slots as `IdentifyScheduler` allows, sleeping
/// in between, then, when there is one, as the `IdentifyCoordinator` shared with other processes allows;
/// reports when the daily budget runs low.
actor IdentifyQueue {
    /// The time the queue reads and sleeps on, in seconds: the system's, or a test's manual clock.
    struct Timing: Sendable {
        var now: @Sendable () -> Double
        var sleep: @Sendable (Double) async throws -> Void

        static let system = Timing(now: DiscordREST.monotonicSeconds, sleep: { seconds in
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 1))
        })
    }

    private var scheduler: IdentifyScheduler
    private let timing: Timing
    private let coordinator: (any IdentifyCoordinator)?
    private let report: @Sendable (String) -> Void

    init(
        limit: SessionStartLimit, bucketInterval: Double = IdentifyScheduler.defaultBucketInterval,
        timing: Timing = .system, coordinator: (any IdentifyCoordinator)? = nil,
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.timing = timing
        self.coordinator = coordinator
        self.report = report
        self.scheduler = IdentifyScheduler(limit: limit, now: timing.now(), bucketInterval: bucketInterval)
        if scheduler.isLow {
            report("identify budget is low: \(limit.remaining) of \(limit.total) session starts left until the daily reset in \(limit.resetAfter / 60_000) min")
        }
    }

    /// Session starts left today, as this process counts them.
    var remaining: Int { scheduler.limit.remaining }

    /// Returns when `shard` may identify. Throws only if the task is cancelled.
    func acquire(shard: Int) async throws {
        try await reserveLocally(shard: shard)
        if let coordinator { try await reserveAcrossProcesses(shard: shard, coordinator) }
    }

    /// This process's own rule: the bucket's 5 seconds and the daily budget (counted here, once per identify).
    private func reserveLocally(shard: Int) async throws {
        while true {
            switch scheduler.reserve(shard: shard, now: timing.now()) {
            case .proceed(let remaining, let low):
                if low { report("identify budget is low: \(remaining) of \(scheduler.limit.total) session starts left today; Discord resets the bot token if it runs out") }
                return
            case .wait(let seconds, let reason):
                if reason == .dailyLimitExhausted {
                    report("identify budget spent: shard \(shard) waits \(Int(seconds)) s for the daily reset of session_start_limit")
                }
                try await timing.sleep(seconds)
            }
        }
    }

    /// The other processes' rule: waits while one of them holds the bucket. When the coordinator fails, the shard
    /// goes on under the local rule alone (said once per failure): a database outage must not stop the bot from
    /// connecting, and at worst Discord refuses a too-early identify and the shard identifies again later.
    private func reserveAcrossProcesses(shard: Int, _ coordinator: any IdentifyCoordinator) async throws {
        let bucket = scheduler.bucket(of: shard)
        let interval = Duration.milliseconds(Int64((scheduler.bucketInterval * 1000).rounded()))
        while true {
            let answer: IdentifyCoordination
            do {
                answer = try await coordinator.reserve(bucket: bucket, interval: interval)
            } catch {
                try Task.checkCancellation()
                report("cannot coordinate identify bucket \(bucket) with other processes (\(error)); shard \(shard) identifies under this process's own limit")
                return
            }
            switch answer {
            case .proceed:
                // The identify happens now, maybe later than the local scheduler planned: its next slot counts from here.
                scheduler.identified(shard: shard, now: timing.now())
                return
            case .wait(let duration):
                try await timing.sleep(max(Double(duration.nanoseconds) / 1e9, 0))
            }
        }
    }
}
