/// Sets the shard's timers on a clock: the deadline is taken when the timer is set (on the shard's actor),
/// the sleep runs in the timer's own task. A test clock that is advanced before that task gets to sleep
/// still fires it, because the deadline is already fixed.
struct GatewayTimer: Sendable {
    private let set: @Sendable (Duration) -> @Sendable () async throws -> Void

    public init<C: Clock>(clock: C) where C.Duration == Duration {
        set = { delay in
            let deadline = clock.now.advanced(by: delay)
            return { try await clock.sleep(until: deadline, tolerance: nil) }
        }
    }

    /// The real one.
    public static let continuous = GatewayTimer(clock: ContinuousClock())

    /// Fixes the deadline `delay` from now; the returned function sleeps until it (throws if cancelled).
    public func deadline(after delay: Duration) -> @Sendable () async throws -> Void {
        set(delay)
    }
}
