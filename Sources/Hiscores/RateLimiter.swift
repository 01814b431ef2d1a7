import Foundation

/// One request budget shared by every caller of the hiscores (bot commands, batch runs, the scheduler):
/// at most `requestsPerSecond` requests start per second, evenly spaced, in the order they asked.
///
/// Each caller reserves the next free slot (never earlier than now) and sleeps until it, so concurrent
/// callers are spread out instead of bursting. Share one instance between every `HiscoresClient`.
public actor RateLimiter {
    public nonisolated let requestsPerSecond: Double
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant?
    private var granted: [ContinuousClock.Instant] = []
    private let keepsHistory: Int

    /// `historyLimit` slots are kept for `grantedSlots` (diagnostics and tests).
    public init(requestsPerSecond: Double, historyLimit: Int = 1_000) {
        let rate = requestsPerSecond > 0 ? requestsPerSecond : 1
        self.requestsPerSecond = rate
        interval = .nanoseconds(Int64((1_000_000_000 / rate).rounded()))
        keepsHistory = historyLimit
    }

    /// Reserves the next slot and returns when it begins. Throws `CancellationError` when the waiting
    /// task is cancelled (the slot is then simply unused).
    public func acquire() async throws {
        try Task.checkCancellation()  // a cancelled caller takes no slot
        let slot = reserve()
        let now = ContinuousClock.now
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }

    /// Takes the next slot without waiting for it.
    func reserve() -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        let slot = nextSlot.map { max($0, now) } ?? now
        nextSlot = slot + interval
        granted.append(slot)
        if granted.count > keepsHistory { granted.removeFirst(granted.count - keepsHistory) }
        return slot
    }

    /// The slots handed out, oldest first (the last `historyLimit`).
    var grantedSlots: [ContinuousClock.Instant] { granted }

    /// The time between two slots.
    public nonisolated var spacing: Duration { .nanoseconds(Int64((1_000_000_000 / requestsPerSecond).rounded())) }
}
