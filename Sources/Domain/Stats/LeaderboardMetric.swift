/// What a leaderboard ranks members by, over a window.
public enum LeaderboardMetric: Sendable, Hashable, Codable, CustomStringConvertible {
    case xpGained
    case levelsGained
    case skillXP(skill: String)
    case bossKC(boss: String)
    case clues(ClueTier)

    /// The stored and typed kinds, in the order help texts list them.
    public static let kinds = ["xp_gained", "levels_gained", "skill_xp", "boss_kc", "clues"]

    public var kind: String {
        switch self {
        case .xpGained: "xp_gained"
        case .levelsGained: "levels_gained"
        case .skillXP: "skill_xp"
        case .bossKC: "boss_kc"
        case .clues: "clues"
        }
    }

    /// The skill, boss or clue tier; nil for the totals.
    public var parameter: String? {
        switch self {
        case .xpGained, .levelsGained: nil
        case .skillXP(let skill): skill
        case .bossKC(let boss): boss
        case .clues(let tier): tier.rawValue
        }
    }

    /// One key per distinct leaderboard, for the cache: "skill_xp:Attack", "clues:all".
    public var cacheKey: String { parameter.map { "\(kind):\($0)" } ?? kind }

    public var description: String {
        switch self {
        case .xpGained: "XP gained"
        case .levelsGained: "levels gained"
        case .skillXP(let skill): "\(skill) XP gained"
        case .bossKC(let boss): "\(boss) kills"
        case .clues(let tier): tier == .all ? "clues completed" : "\(tier.rawValue) clues completed"
        }
    }

    /// The hiscores row the metric reads: a skill row ("Overall" for the totals) or an activity row.
    public var row: MetricRow {
        switch self {
        case .xpGained, .levelsGained: .skill("Overall")
        case .skillXP(let skill): .skill(skill)
        case .bossKC(let boss): .activity(boss)
        case .clues(let tier): .activity(tier.activityName)
        }
    }

    /// Builds a metric from its kind and the one parameter it needs (skill, boss or tier).
    public init(kind: String, parameter: String?) throws(LeaderboardMetricError) {
        let parameter = parameter?.trimmingCharacters(in: .whitespaces)
        let given = parameter.flatMap { $0.isEmpty ? nil : $0 }
        switch kind.lowercased() {
        case "xp_gained": self = .xpGained
        case "levels_gained": self = .levelsGained
        case "skill_xp":
            guard let given else { throw .missingParameter(kind: "skill_xp", what: "a skill (e.g. --skill Attack)") }
            self = .skillXP(skill: given)
        case "boss_kc":
            guard let given else { throw .missingParameter(kind: "boss_kc", what: "a boss (e.g. --boss Zulrah)") }
            self = .bossKC(boss: given)
        case "clues":
            guard let given else { self = .clues(.all); return }
            guard let tier = ClueTier(rawValue: given.lowercased()) else { throw .unknownClueTier(given) }
            self = .clues(tier)
        default: throw .unknownKind(kind)
        }
    }

    /// The gain this metric counts in a delta, and the row change behind it (for flags).
    public func gain(in delta: SnapshotDelta) -> (value: Int64, change: ValueChange?) {
        switch self {
        case .xpGained: (delta.totalXPGained, delta.overall?.xp)
        case .levelsGained: (Int64(delta.totalLevelsGained), delta.overall?.xp)
        case .skillXP(let skill):
            delta.skill(named: skill).map { ($0.xpGained, $0.xp) } ?? (0, nil)
        case .bossKC(let boss):
            delta.activity(named: boss).map { ($0.gained, $0.score) } ?? (0, nil)
        case .clues(let tier):
            delta.activity(named: tier.activityName).map { ($0.gained, $0.score) } ?? (0, nil)
        }
    }
}

/// A hiscores row a metric reads.
public enum MetricRow: Sendable, Hashable {
    case skill(String)
    case activity(String)
}

public enum LeaderboardMetricError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownKind(String)
    case missingParameter(kind: String, what: String)
    case unknownClueTier(String)

    public var description: String {
        switch self {
        case .unknownKind(let kind):
            "unknown metric '\(kind)'; use one of \(LeaderboardMetric.kinds.joined(separator: ", "))"
        case .missingParameter(let kind, let what): "the \(kind) leaderboard needs \(what)"
        case .unknownClueTier(let tier):
            "unknown clue tier '\(tier)'; use one of \(ClueTier.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
