import Foundation

/// How a clan's last scheduled run went.
public enum ScheduleRunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running, succeeded, partial, failed, skipped
}

/// A clan's stored snapshot schedule (one per clan). The cron text is read in the clan's time zone;
/// `Schedule` (Domain/Schedules) computes the times from it.
public struct ClanSchedule: Sendable, Hashable, Codable, Identifiable {
    public static let dailyRunCap = 2

    public var id: Int64
    public var clanID: Int64
    public var cron: String
    public var maxDailyRuns: Int
    public var enabled: Bool
    public var nextRunAt: Date?
    public var lastRunAt: Date?
    public var lastRunStatus: ScheduleRunStatus?
    public var lastError: String?
    public var lastClanSnapshotID: Int64?
    /// Which process claimed the current slot, and when (see `ScheduleRepository.claim`).
    public var claimedBy: String?
    public var claimedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, clanID: Int64, cron: String, maxDailyRuns: Int, enabled: Bool, nextRunAt: Date? = nil,
        lastRunAt: Date? = nil, lastRunStatus: ScheduleRunStatus? = nil, lastError: String? = nil,
        lastClanSnapshotID: Int64? = nil, claimedBy: String? = nil, claimedAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.clanID = clanID
        self.cron = cron
        self.maxDailyRuns = maxDailyRuns
        self.enabled = enabled
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.lastRunStatus = lastRunStatus
        self.lastError = lastError
        self.lastClanSnapshotID = lastClanSnapshotID
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
