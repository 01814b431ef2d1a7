import Foundation

/// How often people may start the commands that spend shared budgets (hiscores requests): a command used
/// again too soon is answered with when it can be used again, and the clan's batch runs keep their share.
public struct CommandLimits: Sendable, Equatable {
    /// Between two `/snapshot run` (or **Run snapshot now**) of one clan.
    public var snapshotRunInterval: TimeInterval
    /// Between two hiscores lookups (`/snapshot player`, checks on `/clan add`) by one Discord user.
    public var lookupInterval: TimeInterval

    public init(snapshotRunInterval: TimeInterval, lookupInterval: TimeInterval) {
        self.snapshotRunInterval = snapshotRunInterval
        self.lookupInterval = lookupInterval
    }

    /// What `clanbot run` uses: a clan's run every 10 minutes at most, one lookup per user every 20 seconds.
    public static let standard = CommandLimits(snapshotRunInterval: 600, lookupInterval: 20)
    /// No cooldowns (tests that are about something else).
    public static let none = CommandLimits(snapshotRunInterval: 0, lookupInterval: 0)
}

/// Per-key cooldowns ("run|12", "lookup|<user id>"), kept in memory: a restart forgets them, which only
/// lets one command through early. Times come from the injected clock, so tests advance it instead of waiting.
/// An actor: the ready times are mutable state shared by every interaction.
public actor CommandCooldowns {
    private var readyAt: [String: Date] = [:]
    private let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Takes `key`'s turn now and returns nil, or returns when its next turn comes (the turn is not taken).
    public func claim(_ key: String, every interval: TimeInterval) -> Date? {
        guard interval > 0 else { return nil }
        let now = clock()
        if let ready = readyAt[key], ready > now { return ready }
        readyAt[key] = now.addingTimeInterval(interval)
        // Expired turns are forgotten now and then, so the table stays the size of the busy keys.
        if readyAt.count > 1_024 { readyAt = readyAt.filter { $0.value > now } }
        return nil
    }
}
