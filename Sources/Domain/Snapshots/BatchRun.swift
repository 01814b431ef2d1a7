import Foundation

/// A clan's batch run: one snapshot of every active member, started by hand, by the schedule or by a contest boundary.
public struct BatchRun: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case queued, running, succeeded, partial, failed
        public var isFinished: Bool { self == .succeeded || self == .partial || self == .failed }
    }

    public let id: Int64
    public let clanID: Int64
    public let jobID: String
    public let status: Status
    /// The board asked for, or `auto`: each member's resolved type.
    public let mode: SnapshotMode
    public let source: String
    public let scheduledFor: Date?
    public let requestedBy: String?
    public let owner: String?
    public let heartbeatAt: Date?
    public let queuedAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
    public let latencyMs: Int?
    public let memberCount: Int
    public let succeededCount: Int
    public let failedCount: Int
    public let error: String?

    public init(id: Int64, clanID: Int64, jobID: String, status: Status, mode: SnapshotMode, source: String, scheduledFor: Date?,
                requestedBy: String?, owner: String?, heartbeatAt: Date?, queuedAt: Date, startedAt: Date?, finishedAt: Date?,
                latencyMs: Int?, memberCount: Int, succeededCount: Int, failedCount: Int, error: String?) {
        self.id = id
        self.clanID = clanID
        self.jobID = jobID
        self.status = status
        self.mode = mode
        self.source = source
        self.scheduledFor = scheduledFor
        self.requestedBy = requestedBy
        self.owner = owner
        self.heartbeatAt = heartbeatAt
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.latencyMs = latencyMs
        self.memberCount = memberCount
        self.succeededCount = succeededCount
        self.failedCount = failedCount
        self.error = error
    }
}

/// One member's line of a batch run.
public struct BatchMember: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case queued, running, succeeded, failed, skipped
    }

    public let accountID: Int64
    public let displayName: String
    public let status: Status
    public let snapshotID: Int64?
    public let errorKind: String?
    public let error: String?
    public let latencyMs: Int?
    public let finishedAt: Date?

    public init(accountID: Int64, displayName: String, status: Status, snapshotID: Int64?, errorKind: String?, error: String?,
                latencyMs: Int?, finishedAt: Date?) {
        self.accountID = accountID
        self.displayName = displayName
        self.status = status
        self.snapshotID = snapshotID
        self.errorKind = errorKind
        self.error = error
        self.latencyMs = latencyMs
        self.finishedAt = finishedAt
    }
}
