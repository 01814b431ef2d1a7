/// When each shard may identify: `max_concurrency` buckets (bucket = shard id % max_concurrency), each allowing
/// one identify per 5 seconds, and the daily `session_start_limit` (exceeding it makes Discord reset the token).
/// Pure logic over a clock in seconds; the driver's `IdentifyQueue` waits as told.
struct IdentifyScheduler: Sendable {
    public static let defaultBucketInterval = 5.0
    /// Seconds between identifies of one bucket (5 by Discord's rules; tests shorten it).
    let bucketInterval: Double

    public enum Decision: Sendable, Equatable {
        /// Identify now. `remaining` is the budget left after this one; `low` asks the driver to warn the operator.
        case proceed(remaining: Int, low: Bool)
        case wait(seconds: Double, reason: WaitReason)
    }

    public enum WaitReason: Sendable, Equatable {
        case concurrency
        case dailyLimitExhausted
    }

    public private(set) var limit: SessionStartLimit
    private var resetAt: Double
    private var nextAllowed: [Int: Double] = [:]

    public init(limit: SessionStartLimit, now: Double, bucketInterval: Double = IdentifyScheduler.defaultBucketInterval) {
        self.limit = limit
        self.bucketInterval = bucketInterval
        self.resetAt = now + Double(limit.resetAfter) / 1000
    }

    /// Fresh figures from another `GET /gateway/bot`.
    public mutating func update(_ limit: SessionStartLimit, now: Double) {
        self.limit = limit
        resetAt = now + Double(limit.resetAfter) / 1000
    }

    /// Low: under a tenth of the day's total, or fewer than 5 left.
    public var isLow: Bool { limit.remaining < max(limit.total / 10, 5) }

    func bucket(of shard: Int) -> Int { shard % max(limit.maxConcurrency, 1) }

    public mutating func reserve(shard: Int, now: Double) -> Decision {
        if now >= resetAt {
            limit.remaining = limit.total
            resetAt = now + 86_400
        }
        if limit.remaining <= 0 {
            return .wait(seconds: resetAt - now, reason: .dailyLimitExhausted)
        }
        let bucket = bucket(of: shard)
        if let next = nextAllowed[bucket], now < next {
            return .wait(seconds: next - now, reason: .concurrency)
        }
        nextAllowed[bucket] = now + bucketInterval
        limit.remaining -= 1
        return .proceed(remaining: limit.remaining, low: isLow)
    }

    /// The shard's identify went out at `now`, later than `reserve` allowed it (another process held the bucket):
    /// the bucket's next slot counts from here. Spends nothing: `reserve` already counted the budget.
    public mutating func identified(shard: Int, now: Double) {
        let bucket = bucket(of: shard)
        nextAllowed[bucket] = max(nextAllowed[bucket] ?? now, now + bucketInterval)
    }
}
