import Foundation

/// One skill's change between two snapshots.
public struct SkillDelta: Sendable, Hashable, Codable {
    public let name: String
    public let xp: ValueChange
    /// Levels as served (an unranked skill is served as level 1).
    public let startLevel: Int
    public let endLevel: Int
    /// Levels gained; 0 when the xp did not count as a gain (rollback, left the ranking).
    public let levelsGained: Int

    public var xpGained: Int64 { xp.gained }
}

/// One activity's change between two snapshots (boss kills, clues, minigame scores, points).
public struct ActivityDelta: Sendable, Hashable, Codable {
    public let name: String
    public let category: ActivityCategory
    public let score: ValueChange
    /// The minimum-to-rank used when the start was unranked (see `ActivityRanking`); nil otherwise.
    let assumedMinimum: Int?

    public var gained: Int64 { score.gained }
}

/// The change of one account between two snapshots: what leaderboards, stats and contest rules read.
///
/// Rules:
/// - Rows are matched by name, not position. A row only in the later snapshot is new to the hiscores
///   (Sailing in 2025, a new boss): it is `.appeared`, starts from its first value and gains nothing in
///   this delta; the Overall row's start is raised by a new skill's first level and xp, so a new skill
///   adds nothing to the totals either. A row present but unranked (-1) is a different thing: see below.
///   A row only in the earlier one counts as ending unranked.
/// - Skills starting unranked count from 0 (xp needed to rank is 1), as the trackers do; the Overall row
///   starting unranked counts as no gain, so a player appearing on the hiscores with 40m total xp does
///   not "gain" 40m (Wise Old Man's rule).
/// - Activities starting unranked count from their minimum-to-rank minus one (`ValueChange`).
/// - A value that goes down is `.decreased` with `gained == 0`; `rollbacks` lists them.
public struct SnapshotDelta: Sendable, Hashable, Codable {
    public let accountID: Int64
    let startSnapshotID: Int64
    let endSnapshotID: Int64
    public let startedAt: Date
    public let endedAt: Date
    /// The Overall row (total xp and total level), when either snapshot has it.
    public let overall: SkillDelta?
    /// Every skill but Overall, in the order the later snapshot serves them.
    public let skills: [SkillDelta]
    /// Every activity, in the order the later snapshot serves them.
    public let activities: [ActivityDelta]

    /// Builds the delta from `start` to `end`. If `end` is the earlier of the two they are swapped,
    /// so a delta always runs forward in time.
    public init(from start: PlayerSnapshot, to end: PlayerSnapshot) {
        let (first, last) = start.fetchedAt <= end.fetchedAt ? (start, end) : (end, start)
        accountID = last.accountID
        startSnapshotID = first.id
        endSnapshotID = last.id
        startedAt = first.fetchedAt
        endedAt = last.fetchedAt

        var overallPair: (before: SkillScore?, after: SkillScore?)?
        var skills: [SkillDelta] = []
        skills.reserveCapacity(last.record.skills.count)
        // What new skills bring to the totals on their first appearance (not a gain).
        var appearedLevels = 0
        var appearedXP: Int64 = 0
        for (name, before, after) in Self.pairs(first.record.skills, last.record.skills, name: \.name) {
            if name == "Overall" { overallPair = (before, after); continue }
            if before == nil, let after {
                appearedLevels += max(1, after.level)
                appearedXP += max(0, after.xp)
            }
            skills.append(Self.skillDelta(name: name, before: before, after: after))
        }
        self.overall = overallPair.map { pair in
            var before = pair.before
            if let start = before, start.xp >= 0, start.level > 0 {
                before?.level = start.level + appearedLevels
                before?.xp = start.xp + appearedXP
            }
            return Self.skillDelta(name: "Overall", before: before, after: pair.after)
        }
        self.skills = skills

        var activities: [ActivityDelta] = []
        activities.reserveCapacity(last.record.activities.count)
        for (name, before, after) in Self.pairs(first.record.activities, last.record.activities, name: \.name) {
            if before == nil, let after {
                activities.append(ActivityDelta(name: name, category: ActivityCategory(activityName: name),
                                                score: .appeared(at: Int64(after.score)), assumedMinimum: nil))
                continue
            }
            let startScore = Int64(before?.score ?? -1)
            let endScore = Int64(after?.score ?? -1)
            let minimum = startScore < 0 && endScore >= 0 ? ActivityRanking.assumedMinimum(for: name) : nil
            activities.append(ActivityDelta(
                name: name,
                category: ActivityCategory(activityName: name),
                score: .between(startScore, endScore, unrankedFloor: Int64(ActivityRanking.assumedMinimum(for: name) - 1)),
                assumedMinimum: minimum))
        }
        self.activities = activities
    }

    // MARK: Reading

    /// Hours between the two snapshots.
    public var hours: Double { endedAt.timeIntervalSince(startedAt) / 3600 }

    /// Total xp gained (the Overall row's rule applies).
    public var totalXPGained: Int64 { overall?.xp.gained ?? 0 }
    /// Total levels gained.
    public var totalLevelsGained: Int { overall?.levelsGained ?? 0 }

    public func skill(named name: String) -> SkillDelta? {
        if name.caseInsensitiveCompare("Overall") == .orderedSame { return overall }
        return skills.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func activity(named name: String) -> ActivityDelta? {
        activities.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func activities(in category: ActivityCategory) -> [ActivityDelta] {
        activities.filter { $0.category == category }
    }

    /// Clues completed in a tier (`.all` reads the game's own "all" row).
    public func cluesGained(_ tier: ClueTier) -> Int64 { activity(named: tier.activityName)?.gained ?? 0 }

    /// Kills of every boss together.
    var bossKillsGained: Int64 { activities(in: .boss).reduce(0) { $0 + $1.gained } }

    /// Names of the skills and activities whose value went down (hiscores rollback).
    public var rollbacks: [String] {
        (overall.map { [$0] } ?? []).filter { $0.xp.kind == .decreased }.map(\.name)
            + skills.filter { $0.xp.kind == .decreased }.map(\.name)
            + activities.filter { $0.score.kind == .decreased }.map(\.name)
    }

    public var hasRollback: Bool { !rollbacks.isEmpty }

    // MARK: Rules

    static func skillDelta(name: String, before: SkillScore?, after: SkillScore?) -> SkillDelta {
        let isOverall = name == "Overall"
        if before == nil, let after {
            let level = Self.servedLevel(after, isOverall: isOverall)
            return SkillDelta(name: name, xp: .appeared(at: after.xp), startLevel: level, endLevel: level, levelsGained: 0)
        }
        let startXP = before?.xp ?? -1
        let endXP = after?.xp ?? -1
        let xp = ValueChange.between(startXP, endXP, unrankedFloor: isOverall ? nil : 0)
        let startLevel = Self.servedLevel(before, isOverall: isOverall)
        let endLevel = Self.servedLevel(after, isOverall: isOverall)
        let countsLevels = xp.kind == .increased || (xp.kind == .enteredRanking && !isOverall)
        let levels = countsLevels ? max(0, endLevel - startLevel) : 0
        return SkillDelta(name: name, xp: xp, startLevel: startLevel, endLevel: endLevel, levelsGained: levels)
    }

    /// The level to compare: as served, or the lowest level when the row is missing or unranked.
    private static func servedLevel(_ score: SkillScore?, isOverall: Bool) -> Int {
        guard let score, score.level > 0 else { return isOverall ? 0 : 1 }
        return score.level
    }

    /// Pairs rows by name: the later snapshot's order first, then rows only the earlier one has.
    static func pairs<Row>(_ before: [Row], _ after: [Row], name: KeyPath<Row, String>) -> [(String, Row?, Row?)] {
        var earlier: [String: Row] = [:]
        earlier.reserveCapacity(before.count)
        for row in before where earlier[row[keyPath: name]] == nil { earlier[row[keyPath: name]] = row }
        var seen = Set<String>()
        seen.reserveCapacity(after.count)
        var result: [(String, Row?, Row?)] = []
        result.reserveCapacity(after.count)
        for row in after {
            let key = row[keyPath: name]
            guard seen.insert(key).inserted else { continue }
            result.append((key, earlier[key], row))
        }
        for row in before where !seen.contains(row[keyPath: name]) {
            let key = row[keyPath: name]
            seen.insert(key)
            result.append((key, row, nil))
        }
        return result
    }
}
