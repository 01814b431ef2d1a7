import Foundation

/// A clan's aggregate over one window: totals, per-skill and per-activity gains, top performers and
/// slackers. Codable: it is the `clan_stats.payload` cached as JSON.
public struct ClanStats: Sendable, Hashable, Codable {
    public struct SkillTotal: Sendable, Hashable, Codable {
        public var name: String
        public var xpGained: Int64
        public var levelsGained: Int64
    }

    public struct ActivityTotal: Sendable, Hashable, Codable {
        public var name: String
        public var category: ActivityCategory
        public var gained: Int64
    }

    public struct Performer: Sendable, Hashable, Codable {
        public var rank: Int
        public var accountID: Int64
        public var name: String
        public var xpGained: Int64
        public var levelsGained: Int64
        public var partial: Bool
    }

    public enum SlackerReason: String, Sendable, Hashable, Codable, CustomStringConvertible {
        /// Two snapshots in the window and nothing gained: no xp, no kills, no clues.
        case noGain = "no_gain"
        /// Not two snapshots to compare in the window, so nothing can be said.
        case noData = "no_data"

        public var description: String {
            switch self {
            case .noGain: "no gain"
            case .noData: "no data in window"
            }
        }
    }

    public struct Slacker: Sendable, Hashable, Codable {
        public var accountID: Int64
        public var name: String
        public var reason: SlackerReason
    }

    /// A member whose figures carry a caveat (partial baseline, rollback), with what it concerns.
    public struct Note: Sendable, Hashable, Codable {
        public var accountID: Int64
        public var name: String
        public var detail: String
    }

    public var timeframe: String
    public var window: TimeWindow
    public var generatedAt: Date
    public var memberCount: Int
    public var membersWithData: Int
    public var totalXPGained: Int64
    public var totalLevelsGained: Int64
    /// Every skill (not Overall) in the order the hiscores serve them.
    public var skills: [SkillTotal]
    /// Bosses with kills in the window, most first.
    public var bosses: [ActivityTotal]
    /// Clue tiers with completions, in tier order (all, beginner … master).
    public var clues: [ActivityTotal]
    /// Minigames, points and other rows that moved, most first.
    public var otherActivities: [ActivityTotal]
    public var topPerformers: [Performer]
    public var slackers: [Slacker]
    public var partialBaselines: [Note]
    public var rollbacks: [Note]

    /// How many performers a report lists.
    public static let topPerformerCount = 5

    public static func build(timeframe: String, window: TimeWindow, generatedAt: Date, members: [MemberWindow],
                             topCount: Int = topPerformerCount) -> ClanStats {
        var skillOrder: [String] = []
        var skillTotals: [String: SkillTotal] = [:]
        var activityOrder: [String] = []
        var activityTotals: [String: ActivityTotal] = [:]
        var performers: [Performer] = []
        var slackers: [Slacker] = []
        var partial: [Note] = []
        var rollbacks: [Note] = []
        var totalXP: Int64 = 0
        var totalLevels: Int64 = 0
        var withData = 0

        for member in members {
            guard let delta = member.delta() else {
                slackers.append(Slacker(accountID: member.accountID, name: member.name, reason: .noData))
                continue
            }
            withData += 1
            if member.bounds.partial, let baseline = member.bounds.baseline {
                partial.append(Note(accountID: member.accountID, name: member.name,
                                    detail: "first snapshot in window at \(ISO8601Time.string(baseline.at))"))
            }
            if delta.hasRollback {
                rollbacks.append(Note(accountID: member.accountID, name: member.name,
                                      detail: delta.rollbacks.joined(separator: ", ")))
            }
            totalXP += delta.totalXPGained
            totalLevels += Int64(delta.totalLevelsGained)
            for skill in delta.skills {
                if skillTotals[skill.name] == nil {
                    skillOrder.append(skill.name)
                    skillTotals[skill.name] = SkillTotal(name: skill.name, xpGained: 0, levelsGained: 0)
                }
                skillTotals[skill.name]?.xpGained += skill.xpGained
                skillTotals[skill.name]?.levelsGained += Int64(skill.levelsGained)
            }
            var activityGain: Int64 = 0
            for activity in delta.activities {
                if activityTotals[activity.name] == nil {
                    activityOrder.append(activity.name)
                    activityTotals[activity.name] = ActivityTotal(name: activity.name, category: activity.category, gained: 0)
                }
                activityTotals[activity.name]?.gained += activity.gained
                activityGain += activity.gained
            }
            let skillGain = delta.skills.reduce(Int64(0)) { $0 + $1.xpGained }
            if delta.totalXPGained == 0 && skillGain == 0 && activityGain == 0 {
                slackers.append(Slacker(accountID: member.accountID, name: member.name, reason: .noGain))
            }
            performers.append(Performer(rank: 0, accountID: member.accountID, name: member.name,
                                        xpGained: delta.totalXPGained, levelsGained: Int64(delta.totalLevelsGained),
                                        partial: member.bounds.partial))
        }

        performers = performers.filter { $0.xpGained > 0 }
        performers.sort { ($0.xpGained, $0.levelsGained, $1.name.lowercased()) > ($1.xpGained, $1.levelsGained, $0.name.lowercased()) }
        let ranks = Ranking.competitionRanks(performers.map { [$0.xpGained, $0.levelsGained] })
        for index in performers.indices { performers[index].rank = ranks[index] }
        let top = Array(performers.prefix(while: { $0.rank <= topCount }))

        let activities = activityOrder.compactMap { activityTotals[$0] }
        let byGain: (ActivityTotal, ActivityTotal) -> Bool = { ($0.gained, $1.name) > ($1.gained, $0.name) }
        let clueOrder = ClueTier.allCases.map(\.activityName)
        let clues = activities.filter { $0.category == .clue && $0.gained > 0 }
            .sorted { (clueOrder.firstIndex(of: $0.name) ?? 99) < (clueOrder.firstIndex(of: $1.name) ?? 99) }
        // Members who were measured and gained nothing first, then those who could not be measured.
        slackers.sort { ($0.reason == .noData ? 1 : 0, $0.name.lowercased()) < ($1.reason == .noData ? 1 : 0, $1.name.lowercased()) }

        return ClanStats(
            timeframe: timeframe, window: window, generatedAt: generatedAt,
            memberCount: members.count, membersWithData: withData,
            totalXPGained: totalXP, totalLevelsGained: totalLevels,
            skills: skillOrder.compactMap { skillTotals[$0] },
            bosses: activities.filter { $0.category == .boss && $0.gained > 0 }.sorted(by: byGain),
            clues: clues,
            otherActivities: activities.filter { $0.category != .boss && $0.category != .clue && $0.gained > 0 }.sorted(by: byGain),
            topPerformers: top, slackers: slackers, partialBaselines: partial, rollbacks: rollbacks)
    }
}
