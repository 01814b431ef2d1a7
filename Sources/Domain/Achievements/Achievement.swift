import Foundation

/// What kind of milestone an achievement is. The raw value is stored.
public enum AchievementKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A level in one skill (99). `metric` is the skill.
    case skillLevel = "skill_level"
    /// Experience in one skill (200M). `metric` is the skill.
    case skillXP = "skill_xp"
    /// Every skill at or above a level (base 60 … base 99, which is maxed). `metric` is "Overall".
    case baseLevel = "base_level"
    /// The total level (1,000 … 2,200). `metric` is "Overall".
    case totalLevel = "total_level"
    /// The combat level (126). `metric` is "Combat".
    case combatLevel = "combat_level"
    /// Kills of one boss. `metric` is the boss as the hiscores name it.
    case bossKills = "boss_kills"
    /// Clue scrolls of one tier, or of all tiers ("Clue Scrolls (all)"). `metric` is the hiscores row.
    case clues = "clues"
}

/// A milestone an account reached between two of its snapshots. Its identity is (account, kind, metric,
/// threshold): each is stored once, whatever happens later (a rollback's dip and recovery, a re-run batch).
public struct Achievement: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var kind: AchievementKind
    public var metric: String
    public var threshold: Int64
    /// The value the later snapshot showed (at least `threshold`).
    public var value: Int64
    /// The snapshot before, which was still below the threshold …
    public var previous: SnapshotMark
    /// … and the snapshot that shows it reached: it happened between the two times.
    public var reached: SnapshotMark

    public init(accountID: Int64, kind: AchievementKind, metric: String, threshold: Int64, value: Int64,
                previous: SnapshotMark, reached: SnapshotMark) {
        self.accountID = accountID
        self.kind = kind
        self.metric = metric
        self.threshold = threshold
        self.value = value
        self.previous = previous
        self.reached = reached
    }

    /// The milestone in words: "99 Slayer", "200M Fishing xp", "Base 90 stats", "Maxed (99 in every skill)",
    /// "2,000 total level", "126 combat", "500 Zulrah kills", "100 hard clues", "1,000 clues (all tiers)".
    public var title: String {
        let number = Self.grouped(threshold)
        switch kind {
        case .skillLevel: return "\(threshold) \(metric)"
        case .skillXP: return "\(threshold % 1_000_000 == 0 ? "\(threshold / 1_000_000)M" : number) \(metric) xp"
        case .baseLevel: return threshold >= 99 ? "Maxed (99 in every skill)" : "Base \(threshold) stats"
        case .totalLevel: return "\(number) total level"
        case .combatLevel: return "\(threshold) combat"
        case .bossKills: return "\(number) \(metric) kills"
        case .clues:
            let tier = ClueTier(activityName: metric)
            return tier == .all || tier == nil ? "\(number) clues (all tiers)" : "\(number) \(tier?.rawValue ?? metric) clues"
        }
    }

    /// The key that makes it unique: "account|kind|metric|threshold".
    public var key: String { "\(accountID)|\(kind.rawValue)|\(metric)|\(threshold)" }

    static func grouped(_ value: Int64) -> String { value.groupedDigits }
}

/// An achievement as stored: its id (increasing: an announcer keeps the last one it posted as a cursor),
/// the account's current name and when it was recorded.
public struct StoredAchievement: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var accountName: String
    public var achievement: Achievement
    public var recordedAt: Date

    public init(id: Int64, accountName: String, achievement: Achievement, recordedAt: Date) {
        self.id = id
        self.accountName = accountName
        self.achievement = achievement
        self.recordedAt = recordedAt
    }
}
