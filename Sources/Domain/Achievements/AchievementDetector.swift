/// Finds the milestones an account crossed between two of its snapshots (pure: no I/O).
///
/// A milestone is reached when the earlier value was below the threshold and the later one is at or above it.
/// Rules that keep it honest (issue 12):
/// - A row absent from the earlier snapshot (new to the hiscores) starts from its first value: the earlier
///   snapshot is read as if it had the later one's row, so a new boss first served at 600 kills or a new skill
///   first served at level 1 crosses nothing; the total level likewise.
/// - A value that went down (a rollback) crosses nothing; the caller measures from the last snapshot that was
///   not a rollback, and the store keeps each milestone once, so a dip and recovery never award it again.
/// - Unranked counts as below every threshold (the thresholds are above every minimum to rank).
public struct AchievementDetector: Sendable {
    public var skillLevels: [Int] = [99]
    public var skillXP: [Int64] = [200_000_000]
    /// Base 99 is maxed (every skill 99), which is also the maximum total level.
    public var baseLevels: [Int] = [60, 70, 80, 90, 99]
    var totalLevels: [Int] = [500, 1_000, 1_250, 1_500, 1_750, 2_000, 2_100, 2_200]
    public var combatLevels: [Int] = [126]
    public var bossKills: [Int] = [50, 100, 250, 500, 1_000, 5_000]
    public var clues: [Int] = [100, 500, 1_000]

    public init() {}

    public func detect(from previous: PlayerSnapshot, to current: PlayerSnapshot) -> [Achievement] {
        guard previous.accountID == current.accountID, previous.fetchedAt <= current.fetchedAt, previous.id != current.id else { return [] }
        let before = Self.filled(previous.record, from: current.record)
        let after = current.record
        var found: [Achievement] = []
        func add(_ kind: AchievementKind, _ metric: String, _ thresholds: [Int64], _ old: Int64, _ new: Int64) {
            for threshold in thresholds where old < threshold && new >= threshold {
                found.append(Achievement(accountID: current.accountID, kind: kind, metric: metric, threshold: threshold, value: new,
                                         previous: SnapshotMark(id: previous.id, at: previous.fetchedAt),
                                         reached: SnapshotMark(id: current.id, at: current.fetchedAt)))
            }
        }
        let beforeSkills = Dictionary(before.skills.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for skill in after.skills where skill.name != "Overall" && skill.isRanked {
            guard let old = beforeSkills[skill.name] else { continue }
            add(.skillLevel, skill.name, skillLevels.map(Int64.init), Int64(Self.level(old)), Int64(Self.level(skill)))
            add(.skillXP, skill.name, skillXP, max(0, old.xp), skill.xp)
        }
        if let oldBase = Self.baseLevel(before), let newBase = Self.baseLevel(after) {
            add(.baseLevel, "Overall", baseLevels.map(Int64.init), Int64(oldBase), Int64(newBase))
        }
        if let oldTotal = Self.totalLevel(before), let newTotal = Self.totalLevel(after) {
            add(.totalLevel, "Overall", totalLevels.map(Int64.init), Int64(oldTotal), Int64(newTotal))
        }
        if let oldCombat = CombatLevel.of(before), let newCombat = CombatLevel.of(after) {
            add(.combatLevel, "Combat", combatLevels.map(Int64.init), Int64(oldCombat), Int64(newCombat))
        }
        let beforeActivities = Dictionary(before.activities.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for activity in after.activities where activity.isRanked {
            guard let old = beforeActivities[activity.name] else { continue }
            let oldScore = Int64(max(0, old.score))
            switch ActivityCategory(activityName: activity.name) {
            case .boss: add(.bossKills, activity.name, bossKills.map(Int64.init), oldScore, Int64(activity.score))
            case .clue: add(.clues, activity.name, clues.map(Int64.init), oldScore, Int64(activity.score))
            case .minigame, .points, .other: break
            }
        }
        return found
    }

    /// `earlier` with every row it lacks taken from `later` ("starts from its first value"), and its Overall row
    /// raised by what the new skills bring.
    static func filled(_ earlier: HiscoresRecord, from later: HiscoresRecord) -> HiscoresRecord {
        var record = earlier
        let skillNames = Set(earlier.skills.map(\.name))
        var addedLevels = 0
        for skill in later.skills where !skillNames.contains(skill.name) && skill.name != "Overall" {
            record.skills.append(skill)
            addedLevels += level(skill)
        }
        if addedLevels > 0, let index = record.skills.firstIndex(where: { $0.name == "Overall" }), record.skills[index].level > 0 {
            record.skills[index].level += addedLevels
        }
        let activityNames = Set(earlier.activities.map(\.name))
        record.activities += later.activities.filter { !activityNames.contains($0.name) }
        return record
    }

    /// The level as served; an unranked skill is level 1.
    static func level(_ skill: SkillScore) -> Int { max(1, skill.level) }

    /// The lowest level of every skill but Overall; nil without skills.
    static func baseLevel(_ record: HiscoresRecord) -> Int? {
        record.skills.filter { $0.name != "Overall" }.map(level).min()
    }

    /// The Overall row's level when served, else the sum of the skills' levels.
    static func totalLevel(_ record: HiscoresRecord) -> Int? {
        if let overall = record.overall, overall.level > 0 { return overall.level }
        let skills = record.skills.filter { $0.name != "Overall" }
        return skills.isEmpty ? nil : skills.map(level).reduce(0, +)
    }
}

/// The game's combat level formula.
enum CombatLevel {
    /// The combat level from the seven combat skills' levels; nil when a combat skill is missing.
    public static func of(_ record: HiscoresRecord) -> Int? {
        func level(_ name: String, minimum: Int = 1) -> Int? { record.skill(named: name).map { max(minimum, $0.level) } }
        guard let attack = level("Attack"), let strength = level("Strength"), let defence = level("Defence"),
              let hitpoints = level("Hitpoints", minimum: 10), let ranged = level("Ranged"), let magic = level("Magic"),
              let prayer = level("Prayer") else { return nil }
        return of(attack: attack, strength: strength, defence: defence, hitpoints: hitpoints, ranged: ranged, magic: magic, prayer: prayer)
    }

    public static func of(attack: Int, strength: Int, defence: Int, hitpoints: Int, ranged: Int, magic: Int, prayer: Int) -> Int {
        let base = Double(defence + hitpoints + prayer / 2) / 4
        let melee = 13.0 / 40 * Double(attack + strength)
        let range = 13.0 / 40 * Double(ranged * 3 / 2)
        let mage = 13.0 / 40 * Double(magic * 3 / 2)
        return Int((base + max(melee, range, mage)).rounded(.down))
    }
}
