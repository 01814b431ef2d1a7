/// Exponential backoff with jitter for reconnecting: attempt n waits a random time in
/// [½·d, d] where d = min(cap, base·2ⁿ). The random half keeps many shards (or many bots
/// behind one outage) from reconnecting in lockstep.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(60)) {
        self.base = base
        self.cap = cap
    }

    /// `unit` is a random number in [0, 1).
    public func delay(attempt: Int, unit: Double) -> Duration {
        let exponent = min(max(attempt, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        return ceiling * (0.5 + 0.5 * min(max(unit, 0), 1))
    }
}
