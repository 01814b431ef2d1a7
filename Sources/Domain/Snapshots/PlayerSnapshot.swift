import Foundation

/// One skill as the hiscores serve it. `-1` in rank, level or xp means unranked on that board.
public struct SkillScore: Sendable, Hashable, Codable {
    public var name: String
    public var rank: Int
    public var level: Int
    public var xp: Int64

    public init(name: String, rank: Int, level: Int, xp: Int64) {
        self.name = name
        self.rank = rank
        self.level = level
        self.xp = xp
    }

    public var isRanked: Bool { rank > 0 && xp >= 0 }
}

/// One activity (boss, clue tier, minigame, points) as the hiscores serve it. `-1` means unranked.
public struct ActivityScore: Sendable, Hashable, Codable {
    public var name: String
    public var rank: Int
    public var score: Int

    public init(name: String, rank: Int, score: Int) {
        self.name = name
        self.rank = rank
        self.score = score
    }

    public var isRanked: Bool { rank > 0 && score >= 0 }
}

/// A parsed hiscores response: every skill and activity, in the order served.
/// Names are data: an activity the code has never seen is kept like any other.
public struct HiscoresRecord: Sendable, Hashable, Codable {
    public var skills: [SkillScore]
    public var activities: [ActivityScore]

    public init(skills: [SkillScore], activities: [ActivityScore]) {
        self.skills = skills
        self.activities = activities
    }

    public func skill(named name: String) -> SkillScore? {
        skills.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func activity(named name: String) -> ActivityScore? {
        activities.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The "Overall" row: total xp and total level.
    public var overall: SkillScore? { skill(named: "Overall") }
}

/// A stored snapshot of one account at one moment.
public struct PlayerSnapshot: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var accountID: Int64
    public var fetchedAt: Date
    /// The board that was asked for.
    public var requestedBoard: HiscoresBoard
    /// What the account was resolved to when this snapshot was taken, if known.
    public var resolvedType: AccountType?
    public var latencyMs: Int
    public var record: HiscoresRecord
    /// The rows this snapshot lost against the account's snapshot before it (`RollbackCheck`): empty for a
    /// normal snapshot. A rollback snapshot is kept but flagged, and gains, records and achievements are
    /// measured around it (from the snapshots before and after it), never from it.
    public var rollbackRows: [String]

    public init(
        id: Int64, accountID: Int64, fetchedAt: Date, requestedBoard: HiscoresBoard,
        resolvedType: AccountType?, latencyMs: Int, record: HiscoresRecord, rollbackRows: [String] = []
    ) {
        self.id = id
        self.accountID = accountID
        self.fetchedAt = fetchedAt
        self.requestedBoard = requestedBoard
        self.resolvedType = resolvedType
        self.latencyMs = latencyMs
        self.record = record
        self.rollbackRows = rollbackRows
    }

    /// True when the snapshot is flagged as a hiscores rollback.
    public var isRollback: Bool { !rollbackRows.isEmpty }

    public var totalXP: Int64 { record.overall?.xp ?? -1 }
    public var totalLevel: Int { record.overall?.level ?? -1 }
}
