import Domain
import Foundation
import Storage

/// Fetches and stores one member's snapshot for a batch. `SnapshotService` is the real one.
public protocol MemberSnapshotting: Sendable {
    /// Fetches `displayName` from the hiscores (on `board`, or the account's own board when nil),
    /// stores the snapshot and returns it.
    func snapshotMember(accountID: Int64, displayName: String, board: HiscoresBoard?) async throws -> MemberSnapshotResult
}

public struct MemberSnapshotResult: Sendable, Hashable {
    public let snapshotID: Int64
    public let latencyMs: Int
    /// Achievements the snapshot stored for the first time.
    public let achievements: [StoredAchievement]

    public init(snapshotID: Int64, latencyMs: Int, achievements: [StoredAchievement] = []) {
        self.snapshotID = snapshotID
        self.latencyMs = latencyMs
        self.achievements = achievements
    }
}

/// An error that knows the short kind stored in `clan_snapshot_members.error_kind`
/// ("not_found", "unavailable", "timeout", …).
public protocol BatchMemberError: Error {
    var kind: String { get }
    /// The latency of the failed fetch, when it got far enough to have one.
    var latencyMs: Int? { get }
}

/// Sent as each member of a batch finishes, so a Discord message or a terminal can show progress.
public struct BatchProgress: Sendable, Hashable {
    public let jobID: String
    public let accountID: Int64
    public let displayName: String
    public let succeeded: Bool
    /// The error in words, for a failed member.
    public let error: String?
    /// Members finished so far (including this one) and in all.
    public let finished: Int
    public let total: Int
    /// Achievements this member's snapshot stored for the first time (posted once: a re-run or recovered batch
    /// stores none again). An announcer that may miss reports (a restart) reads them back in order instead with
    /// `AchievementService.unannounced(clanID:after:)`, keeping the last id it posted.
    public var achievements: [StoredAchievement] = []
}

public typealias BatchProgressHandler = @Sendable (BatchProgress) async -> Void

/// A started batch: its job id at once, its final state when awaited.
public struct BatchHandle: Sendable {
    public let jobID: String
    public let batchID: Int64
    public let clanID: Int64
    public let memberCount: Int
    let task: Task<BatchRun, any Error>

    /// Waits for the batch to finish and returns its final row (status, counts, latency).
    public func result() async throws -> BatchRun { try await task.value }

    /// Stops fetching; members not yet fetched are recorded as skipped.
    public func cancel() { task.cancel() }
}

/// What recovery did with a batch a stopped process left unfinished.
public enum BatchRecovery: Sendable {
    /// Still recent: the members not yet fetched are being fetched now.
    case resumed(BatchHandle)
    /// Too old to be worth finishing: closed with a reason, unfetched members marked skipped.
    case closed(BatchRun)

    /// The line `clanbot run` logs for it.
    public var logLine: String {
        switch self {
        case .resumed(let handle): "resumed interrupted batch \(handle.jobID)"
        case .closed(let run): "closed interrupted batch \(run.jobID): \(run.error ?? "")"
        }
    }
}
