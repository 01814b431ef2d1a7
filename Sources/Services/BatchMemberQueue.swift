import Domain
import Foundation

/// How the member fetches of one batch are shared between processes on one database (issue 15): each member is
/// claimed in the database before it is fetched (`BatchRunRepository.claimNextMember`), so every process drains
/// the same queue with its own hiscores budget and none fetches a member twice.
public struct BatchMemberQueue: Sendable {
    /// A member claimed longer ago than this belongs to a process that stopped mid-fetch: it is fetched again.
    public var claimTimeout: TimeInterval
    /// While other processes still fetch the last members, the owner looks again this often (then closes the batch).
    public var pollEvery: Duration
    /// What the owner sleeps on between those looks.
    public var clock: any WallClock

    public init(claimTimeout: TimeInterval = 300, pollEvery: Duration = .seconds(1), clock: any WallClock = SystemWallClock()) {
        self.claimTimeout = claimTimeout
        self.pollEvery = pollEvery
        self.clock = clock
    }
}
