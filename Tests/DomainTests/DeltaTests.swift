import Foundation
import Testing
@testable import Domain

/// Builds a snapshot from just the rows a test cares about. Levels and xp are given by hand.
private func snapshot(
    id: Int64, hoursAfterEpoch: Double,
    skills: [(String, Int, Int64)], activities: [(String, Int)]
) -> PlayerSnapshot {
    let record = HiscoresRecord(
        skills: skills.enumerated().map { index, row in
            SkillScore(name: row.0, rank: row.2 < 0 ? -1 : 1000 + index, level: row.1, xp: row.2)
        },
        activities: activities.enumerated().map { index, row in
            ActivityScore(name: row.0, rank: row.1 < 0 ? -1 : 500 + index, score: row.1)
        })
    return PlayerSnapshot(
        id: id, accountID: 7, fetchedAt: Date(timeIntervalSince1970: hoursAfterEpoch * 3600),
        requestedBoard: .regular, resolvedType: .regular, latencyMs: 120, record: record)
}

@Suite struct DeltaTests {
    let before = snapshot(
        id: 1, hoursAfterEpoch: 1000,
        skills: [
            ("Overall", 1500, 10_000_000), ("Attack", 73, 1_000_000), ("Prayer", 1, -1),
            ("Cooking", 40, 50_000), ("Sailing", 1, -1),
        ],
        activities: [
            ("Clue Scrolls (all)", 10), ("Clue Scrolls (hard)", -1), ("LMS - Rank", -1),
            ("Zulrah", -1), ("Mimic", -1), ("Vorkath", 100), ("Obor", 12), ("Removed Row", 9),
        ])
    let after = snapshot(
        id: 2, hoursAfterEpoch: 1036.5,
        skills: [
            ("Overall", 1503, 10_250_000), ("Attack", 74, 1_200_000), ("Prayer", 30, 20_000),
            ("Cooking", 1, -1), ("Sailing", 1, -1),
        ],
        activities: [
            ("Clue Scrolls (all)", 14), ("Clue Scrolls (hard)", 4), ("LMS - Rank", 600),
            ("Zulrah", 73), ("Mimic", 2), ("Vorkath", 95), ("Obor", 12), ("Brand New Boss", 12),
        ])

    @Test func rankedGainsAreDifferences() throws {
        let delta = SnapshotDelta(from: before, to: after)
        let attack = try #require(delta.skill(named: "attack"))
        #expect(attack.xp.gained == 200_000)
        #expect(attack.xp.kind == .increased)
        #expect(attack.levelsGained == 1)
        #expect(delta.totalXPGained == 250_000)
        #expect(delta.totalLevelsGained == 3)
        #expect(delta.hours == 36.5)
        #expect(delta.startSnapshotID == 1 && delta.endSnapshotID == 2)
        #expect(delta.activity(named: "Obor")?.score.kind == .unchanged)
    }

    @Test func unrankedStartCountsFromTheMinimumToRank() throws {
        let delta = SnapshotDelta(from: before, to: after)
        // Zulrah needs 5 kills to rank: at most 4 before, so 73 - 4.
        let zulrah = try #require(delta.activity(named: "Zulrah"))
        #expect(zulrah.gained == 69)
        #expect(zulrah.score.kind == .enteredRanking)
        #expect(zulrah.score.isEstimate)
        #expect(zulrah.assumedMinimum == 5)
        #expect(delta.activity(named: "Mimic")?.gained == 2)  // minimum 1
        #expect(delta.activity(named: "LMS - Rank")?.gained == 101)  // minimum 500: 600 - 499
        #expect(delta.cluesGained(.hard) == 4)
        #expect(delta.cluesGained(.all) == 4)
        #expect(delta.cluesGained(.master) == 0)
    }

    @Test func unrankedSkillsCountFromZeroButOverallDoesNot() throws {
        let delta = SnapshotDelta(from: before, to: after)
        let prayer = try #require(delta.skill(named: "Prayer"))
        #expect(prayer.xp.gained == 20_000)
        #expect(prayer.levelsGained == 29)
        #expect(delta.skill(named: "Sailing")?.xp.kind == .unranked)

        let unrankedOverall = snapshot(
            id: 3, hoursAfterEpoch: 900, skills: [("Overall", 0, -1)], activities: [])
        let appeared = SnapshotDelta(from: unrankedOverall, to: after)
        #expect(appeared.overall?.xp.kind == .enteredRanking)
        #expect(appeared.totalXPGained == 0)
        #expect(appeared.totalLevelsGained == 0)
    }

    @Test func rollbacksAreReportedNotNegative() throws {
        let delta = SnapshotDelta(from: before, to: after)
        let vorkath = try #require(delta.activity(named: "Vorkath"))
        #expect(vorkath.gained == 0)
        #expect(vorkath.score.kind == .decreased)
        #expect(vorkath.score.decrease == 5)
        #expect(delta.rollbacks == ["Vorkath"])
        #expect(delta.hasRollback)

        let cooking = try #require(delta.skill(named: "Cooking"))
        #expect(cooking.xp.kind == .leftRanking)
        #expect(cooking.xp.gained == 0)
        #expect(cooking.levelsGained == 0)
    }

    @Test func rowsAreMatchedByNameIncludingNewAndRemovedOnes() throws {
        let delta = SnapshotDelta(from: before, to: after)
        let new = try #require(delta.activity(named: "Brand New Boss"))
        #expect(new.category == .boss)  // a new name defaults to a boss
        // Absent from the earlier snapshot: new to the hiscores, so it starts from its first value.
        #expect(new.score.kind == .appeared)
        #expect(new.score.start == 12 && new.score.end == 12)
        #expect(new.gained == 0)
        #expect(delta.activity(named: "Removed Row")?.score.kind == .leftRanking)
        #expect(delta.activities.map(\.name).last == "Removed Row")
        // Bosses: Zulrah 69 + Mimic 2 + Vorkath 0 + Obor 0 + Brand New Boss 0 (+ Removed Row 0).
        #expect(delta.bossKillsGained == 71)
        #expect(!delta.skills.contains { $0.name == "Overall" })
    }

    @Test func aNewSkillStartsFromItsFirstValueAndAddsNothingToTheTotals() throws {
        // Sailing is absent before (the hiscores did not have it yet) and served at level 1 / 0 xp after, while
        // Attack gained 100k xp and one level: the totals must show exactly Attack's progress.
        let old = snapshot(id: 10, hoursAfterEpoch: 1, skills: [("Overall", 74, 1_000_000), ("Attack", 73, 1_000_000)], activities: [])
        let new = snapshot(id: 11, hoursAfterEpoch: 2, skills: [("Overall", 76, 1_100_000), ("Attack", 74, 1_100_000), ("Sailing", 1, 0)],
                           activities: [])
        let delta = SnapshotDelta(from: old, to: new)
        let sailing = try #require(delta.skill(named: "Sailing"))
        #expect(sailing.xp.kind == .appeared && sailing.xpGained == 0 && sailing.levelsGained == 0)
        #expect(delta.totalXPGained == 100_000)
        #expect(delta.totalLevelsGained == 1)

        // Present but unranked before is not the same as absent: it counts from zero, as the trackers do.
        let unranked = snapshot(id: 12, hoursAfterEpoch: 1, skills: [("Overall", 75, 1_000_000), ("Attack", 73, 1_000_000), ("Sailing", 1, -1)],
                                activities: [])
        let trained = snapshot(id: 13, hoursAfterEpoch: 2, skills: [("Overall", 84, 1_020_000), ("Attack", 73, 1_000_000), ("Sailing", 10, 20_000)],
                               activities: [])
        let ranked = SnapshotDelta(from: unranked, to: trained)
        #expect(ranked.skill(named: "Sailing")?.xp.kind == .enteredRanking)
        #expect(ranked.skill(named: "Sailing")?.xpGained == 20_000)
    }

    @Test func rollbackCheckNamesOnlyRowsThatNeverFallInPlay() {
        let earlier = HiscoresRecord(
            skills: [SkillScore(name: "Overall", rank: 1, level: 100, xp: 500), SkillScore(name: "Attack", rank: 5, level: 50, xp: 100_000),
                     SkillScore(name: "Cooking", rank: 5, level: 50, xp: 100_000)],
            activities: [ActivityScore(name: "Zulrah", rank: 3, score: 100), ActivityScore(name: "LMS - Rank", rank: 3, score: 900),
                         ActivityScore(name: "Clue Scrolls (hard)", rank: 3, score: 40), ActivityScore(name: "Vorkath", rank: 3, score: 7)])
        let later = HiscoresRecord(
            skills: [SkillScore(name: "Overall", rank: 1, level: 100, xp: 400), SkillScore(name: "Attack", rank: 5, level: 50, xp: 99_999),
                     SkillScore(name: "Cooking", rank: -1, level: 1, xp: -1)],
            activities: [ActivityScore(name: "Zulrah", rank: 3, score: 90), ActivityScore(name: "LMS - Rank", rank: 3, score: 600),
                         ActivityScore(name: "Clue Scrolls (hard)", rank: 3, score: 41), ActivityScore(name: "Vorkath", rank: -1, score: -1)])
        // Attack lost 1 xp and Zulrah 10 kills; LMS is a rating, Cooking and Vorkath left the ranking, Overall follows the skills.
        #expect(RollbackCheck.lostRows(from: earlier, to: later) == ["Attack", "Zulrah"])
        // The other way round only the hard clues went down (41 → 40); the rest grew or were unranked.
        #expect(RollbackCheck.lostRows(from: later, to: earlier) == ["Clue Scrolls (hard)"])
    }

    @Test func runsForwardInTimeWhateverTheArgumentOrder() {
        let forward = SnapshotDelta(from: before, to: after)
        let backward = SnapshotDelta(from: after, to: before)
        #expect(forward == backward)
    }

    @Test func valueChangeRule() {
        #expect(ValueChange.between(-1, -1, unrankedFloor: 4).kind == .unranked)
        #expect(ValueChange.between(-1, 3, unrankedFloor: 4).gained == 0)  // below the floor: no gain
        #expect(ValueChange.between(-1, 10, unrankedFloor: nil).gained == 0)
        #expect(ValueChange.between(5, 9, unrankedFloor: 4).gained == 4)
        #expect(ValueChange.between(9, 5, unrankedFloor: 4).decrease == 4)
    }
}
