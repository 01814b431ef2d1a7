/// Shares Discord's identify buckets with the other processes running shards of the same bot (issue 15): shards
/// `4..7/8` on one machine and `0..3/8` on another still fall in the same `max_concurrency` buckets, and Discord
/// allows one IDENTIFY per bucket per 5 seconds across all of them. After this process's own `IdentifyScheduler`
/// lets a shard go, `IdentifyQueue` asks the coordinator too. The Discord layer only asks the question; `clanbot run`
/// answers it from the database every process shares. Without a coordinator the rule holds within the process only.
public protocol IdentifyCoordinator: Sendable {
    /// Takes `bucket` for one identify when no process took it within the last `interval`, or says how long until
    /// it may be asked again. Throws when it cannot tell (the database is unreachable, say): the queue then falls
    /// back to the in-process rule rather than never identifying.
    func reserve(bucket: Int, interval: Duration) async throws -> IdentifyCoordination
}

/// A coordinator's answer.
public enum IdentifyCoordination: Sendable, Equatable {
    /// This process has the bucket now: identify.
    case proceed
    /// Another process identified in the bucket: ask again after this long.
    case wait(Duration)
}
