import Foundation
import Testing
@testable import Domain

@Suite struct AchievementDetectorTests {
    /// A snapshot of account 1 whose skills all sit at `level` (xp from the game's table), with some overrides.
    func snapshot(_ id: Int64, day: Double, level: Int = 70, skills: [String: Int] = [:], activities: [String: Int] = [:],
                  skillNames: [String] = HiscoresRows.skillNames) -> PlayerSnapshot {
        var rows: [SkillScore] = []
        for name in skillNames where name != "Overall" {
            let skillLevel = skills[name] ?? level
            rows.append(SkillScore(name: name, rank: 100, level: skillLevel, xp: Self.xp(forLevel: skillLevel)))
        }
        let overall = SkillScore(name: "Overall", rank: 10, level: rows.map(\.level).reduce(0, +), xp: rows.map(\.xp).reduce(0, +))
        let activityRows = activities.sorted { $0.key < $1.key }.map { ActivityScore(name: $0.key, rank: $0.value < 0 ? -1 : 50, score: $0.value) }
        return PlayerSnapshot(id: id, accountID: 1, fetchedAt: Date(timeIntervalSince1970: day * 86_400), requestedBoard: .regular,
                              resolvedType: .regular, latencyMs: 0, record: HiscoresRecord(skills: [overall] + rows, activities: activityRows))
    }

    static func xp(forLevel level: Int) -> Int64 {
        var points = 0.0
        for next in 1..<max(1, level) { points += (Double(next) + 300 * pow(2, Double(next) / 7)).rounded(.down) }
        return Int64((points / 4).rounded(.down))
    }

    func titles(_ found: [Achievement]) -> Set<String> { Set(found.map(\.title)) }

    @Test func crossingNinetyNineInASkillIsOneAchievementWithItsWindow() throws {
        let before = snapshot(1, day: 10, skills: ["Slayer": 98])
        let after = snapshot(2, day: 11, skills: ["Slayer": 99])
        let found = AchievementDetector().detect(from: before, to: after)
        #expect(titles(found) == ["99 Slayer"])
        let slayer = try #require(found.first)
        #expect(slayer.kind == .skillLevel && slayer.metric == "Slayer" && slayer.threshold == 99)
        #expect(slayer.previous == SnapshotMark(id: 1, at: before.fetchedAt))
        #expect(slayer.reached == SnapshotMark(id: 2, at: after.fetchedAt))
        // Nothing crossed again, nor backwards.
        #expect(AchievementDetector().detect(from: after, to: snapshot(3, day: 12, skills: ["Slayer": 99])).isEmpty)
        #expect(AchievementDetector().detect(from: after, to: snapshot(4, day: 13, skills: ["Slayer": 98])).isEmpty)
    }

    @Test func baseTotalAndCombatMilestones() {
        let detector = AchievementDetector()
        // Every skill 89 → 90: base 90, and the total level passes 2,000 (23 skills × 90 = 2,070 with Sailing's 24th row at 90 too).
        let found = detector.detect(from: snapshot(1, day: 1, level: 89), to: snapshot(2, day: 2, level: 90))
        let skillCount = HiscoresRows.skillNames.count - 1
        let oldTotal = 89 * skillCount
        let newTotal = 90 * skillCount
        let totals = detector.totalLevels.filter { oldTotal < $0 && newTotal >= $0 }.map { "\(Achievement.grouped(Int64($0))) total level" }
        #expect(titles(found) == Set(["Base 90 stats"] + totals))
        // Maxed: base 99 (also the maximum total), 126 combat.
        let maxed = detector.detect(from: snapshot(3, day: 3, level: 99, skills: ["Attack": 98]), to: snapshot(4, day: 4, level: 99))
        #expect(titles(maxed) == ["99 Attack", "Maxed (99 in every skill)", "126 combat"])
        #expect(CombatLevel.of(attack: 99, strength: 99, defence: 99, hitpoints: 99, ranged: 99, magic: 99, prayer: 99) == 126)
        #expect(CombatLevel.of(attack: 1, strength: 1, defence: 1, hitpoints: 10, ranged: 1, magic: 1, prayer: 1) == 3)
    }

    @Test func bossAndClueMilestonesIncludingEverythingCrossedAtOnce() {
        let found = AchievementDetector().detect(
            from: snapshot(1, day: 1, activities: ["Zulrah": 40, "Clue Scrolls (hard)": 99, "Clue Scrolls (all)": 480, "LMS - Rank": 900]),
            to: snapshot(2, day: 2, activities: ["Zulrah": 260, "Clue Scrolls (hard)": 100, "Clue Scrolls (all)": 510, "LMS - Rank": 5_000]))
        #expect(titles(found) == ["50 Zulrah kills", "100 Zulrah kills", "250 Zulrah kills", "100 hard clues", "500 clues (all tiers)"])
        // Unranked counts as below every threshold.
        let first = AchievementDetector().detect(from: snapshot(3, day: 3, activities: ["Vorkath": -1]),
                                                  to: snapshot(4, day: 4, activities: ["Vorkath": 55]))
        #expect(titles(first) == ["50 Vorkath kills"])
    }

    @Test func rowsNewToTheHiscoresStartFromTheirFirstValue() {
        // A new boss first served with 600 kills, and Sailing first served at level 1: nothing is crossed, not even
        // the total level that Sailing's row raises.
        let withoutSailing = HiscoresRows.skillNames.filter { $0 != "Sailing" }
        let before = snapshot(1, day: 1, level: 87, activities: ["Zulrah": 10], skillNames: withoutSailing)
        let after = snapshot(2, day: 2, level: 87, skills: ["Sailing": 1], activities: ["Zulrah": 10, "The Mad Angel": 600])
        let found = AchievementDetector().detect(from: before, to: after)
        #expect(found.isEmpty, "\(found.map(\.title))")
        // From then on its kills count like any boss's.
        let later = snapshot(3, day: 3, level: 87, skills: ["Sailing": 1], activities: ["Zulrah": 10, "The Mad Angel": 1_000])
        #expect(titles(AchievementDetector().detect(from: after, to: later)) == ["1,000 The Mad Angel kills"])
    }

    @Test func titlesReadAsAClanWouldSayThem() {
        func title(_ kind: AchievementKind, _ metric: String, _ threshold: Int64) -> String {
            Achievement(accountID: 1, kind: kind, metric: metric, threshold: threshold, value: threshold,
                        previous: SnapshotMark(id: 1, at: .distantPast), reached: SnapshotMark(id: 2, at: .distantPast)).title
        }
        #expect(title(.skillXP, "Fishing", 200_000_000) == "200M Fishing xp")
        #expect(title(.totalLevel, "Overall", 2_000) == "2,000 total level")
        #expect(title(.clues, "Clue Scrolls (all)", 1_000) == "1,000 clues (all tiers)")
        #expect(title(.baseLevel, "Overall", 70) == "Base 70 stats")
    }
}
