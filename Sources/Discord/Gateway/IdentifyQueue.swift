import Foundation

/// Shared by every shard of a process: hands out identify slots as `IdentifyScheduler` allows, sleeping
/// in between, and reports when the daily budget runs low.
actor IdentifyQueue {
    private var scheduler: IdentifyScheduler
    private let now: @Sendable () -> Double
    private let report: @Sendable (String) -> Void

    public init(
        limit: SessionStartLimit, bucketInterval: Double = IdentifyScheduler.defaultBucketInterval,
        now: @escaping @Sendable () -> Double = DiscordREST.monotonicSeconds,
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.now = now
        self.report = report
        self.scheduler = IdentifyScheduler(limit: limit, now: now(), bucketInterval: bucketInterval)
        if scheduler.isLow {
            report("identify budget is low: \(limit.remaining) of \(limit.total) session starts left until the daily reset in \(limit.resetAfter / 60_000) min")
        }
    }

    /// Returns when `shard` may identify. Throws only if the task is cancelled.
    public func acquire(shard: Int) async throws {
        while true {
            switch scheduler.reserve(shard: shard, now: now()) {
            case .proceed(let remaining, let low):
                if low { report("identify budget is low: \(remaining) of \(scheduler.limit.total) session starts left today; Discord resets the bot token if it runs out") }
                return
            case .wait(let seconds, let reason):
                if reason == .dailyLimitExhausted {
                    report("identify budget spent: shard \(shard) waits \(Int(seconds)) s for the daily reset of session_start_limit")
                }
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 1))
            }
        }
    }
}
