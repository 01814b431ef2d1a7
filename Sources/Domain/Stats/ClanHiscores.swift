import Foundation

/// What the clan's hiscores rank members by: current values, not gains.
public enum HiscoresMetric: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Total level and xp (ranked by xp).
    case overall
    /// One skill's level and xp (ranked by xp).
    case skill(String)
    /// One boss's kill count.
    case boss(String)
    /// Clue scrolls of one tier, or all.
    case clues(ClueTier)

    public static let kinds = ["overall", "skill", "boss", "clues"]

    public var kind: String {
        switch self {
        case .overall: "overall"
        case .skill: "skill"
        case .boss: "boss"
        case .clues: "clues"
        }
    }

    public var parameter: String? {
        switch self {
        case .overall: nil
        case .skill(let name), .boss(let name): name
        case .clues(let tier): tier.rawValue
        }
    }

    public var row: MetricRow {
        switch self {
        case .overall: .skill("Overall")
        case .skill(let name): .skill(name)
        case .boss(let name): .activity(name)
        case .clues(let tier): .activity(tier.activityName)
        }
    }

    /// True when rows carry a level and xp (skills), false for scores (kills, clues).
    public var isSkill: Bool {
        switch self {
        case .overall, .skill: true
        case .boss, .clues: false
        }
    }

    public var description: String {
        switch self {
        case .overall: "Total level"
        case .skill(let name): name
        case .boss(let name): "\(name) kills"
        case .clues(let tier): tier == .all ? "Clue scrolls" : "\(tier.rawValue.prefix(1).uppercased() + tier.rawValue.dropFirst()) clues"
        }
    }

    /// Builds a metric from its kind and the skill, boss or tier it needs.
    public init(kind: String, parameter: String?) throws(LeaderboardMetricError) {
        let given = parameter.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        switch kind.lowercased() {
        case "overall": self = .overall
        case "skill":
            guard let given else { throw .missingParameter(kind: "skill", what: "a skill (e.g. Attack)") }
            self = .skill(given)
        case "boss":
            guard let given else { throw .missingParameter(kind: "boss", what: "a boss (e.g. Zulrah)") }
            self = .boss(given)
        case "clues":
            guard let given else { self = .clues(.all); return }
            guard let tier = ClueTier(rawValue: given.lowercased()) else { throw .unknownClueTier(given) }
            self = .clues(tier)
        default: throw .unknownKind(kind)
        }
    }
}

/// The clan's members ranked by a current value from their latest snapshot.
public struct ClanHiscores: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        /// Competition rank among ranked members (ties share it); nil when unranked on that row.
        public var rank: Int?
        public var accountID: Int64
        public var name: String
        /// The level, for skills.
        public var level: Int?
        /// Xp for skills, the score for kills and clues; nil when unranked.
        public var value: Int64?
        /// When the snapshot the value comes from was taken.
        public var snapshotAt: Date
    }

    /// One member's latest snapshot, reduced to the metric's row (nil fields when the row is missing).
    public struct Input: Sendable {
        public var accountID: Int64
        public var name: String
        public var snapshotAt: Date?
        public var rank: Int?
        public var level: Int?
        public var value: Int64?

        public init(accountID: Int64, name: String, snapshotAt: Date?, rank: Int?, level: Int?, value: Int64?) {
            self.accountID = accountID
            self.name = name
            self.snapshotAt = snapshotAt
            self.rank = rank
            self.level = level
            self.value = value
        }
    }

    public var metric: HiscoresMetric
    /// Ranked members first (highest value first, ties by name), then unranked ones by name.
    public var rows: [Row]
    /// Active members never snapshotted.
    public var withoutSnapshot: [MemberRef]

    public static func build(metric: HiscoresMetric, members: [Input]) -> ClanHiscores {
        var ranked: [Row] = []
        var unranked: [Row] = []
        var without: [MemberRef] = []
        for member in members {
            guard let at = member.snapshotAt else {
                without.append(MemberRef(accountID: member.accountID, name: member.name))
                continue
            }
            let isRanked = (member.rank ?? -1) > 0 && (member.value ?? -1) >= 0
            let row = Row(rank: nil, accountID: member.accountID, name: member.name,
                          level: metric.isSkill ? member.level.map { max(1, $0) } : nil, value: isRanked ? member.value : nil, snapshotAt: at)
            if isRanked { ranked.append(row) } else { unranked.append(row) }
        }
        ranked.sort { ($0.value ?? 0, $0.level ?? 0, $1.name.lowercased(), $1.accountID) > ($1.value ?? 0, $1.level ?? 0, $0.name.lowercased(), $0.accountID) }
        let ranks = Ranking.competitionRanks(ranked.map { $0.value ?? 0 })
        for index in ranked.indices { ranked[index].rank = ranks[index] }
        unranked.sort { ($0.name.lowercased(), $0.accountID) < ($1.name.lowercased(), $1.accountID) }
        without.sort { $0.name.lowercased() < $1.name.lowercased() }
        return ClanHiscores(metric: metric, rows: ranked + unranked, withoutSnapshot: without)
    }
}
