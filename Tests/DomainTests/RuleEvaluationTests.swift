import Cryptography
import Foundation
import Testing
@testable import Domain

/// Snapshots built by hand: values given per row; rows not given are unranked (-1).
enum SnapshotFixture {
    static let start = ContestFixture.start
    static let end = ContestFixture.end

    static func snapshot(id: Int64, account: Int64 = 1, at date: Date, overallXP: Int64 = 10_000_000, overallLevel: Int = 1500,
                         skills: [String: (level: Int, xp: Int64)] = [:], activities: [String: Int] = [:]) -> PlayerSnapshot {
        var skillRows = [SkillScore(name: "Overall", rank: overallXP < 0 ? -1 : 1000, level: overallXP < 0 ? -1 : overallLevel, xp: overallXP)]
        for name in ["Attack", "Strength", "Slayer", "Cooking"] {
            let value = skills[name]
            skillRows.append(SkillScore(name: name, rank: value == nil ? -1 : 500, level: value?.level ?? 1, xp: value?.xp ?? -1))
        }
        var activityRows: [ActivityScore] = []
        for name in ["Clue Scrolls (all)", "Clue Scrolls (hard)", "Clue Scrolls (elite)", "Vorkath", "Zulrah"] {
            let score = activities[name]
            activityRows.append(ActivityScore(name: name, rank: score == nil ? -1 : 700, score: score ?? -1))
        }
        return PlayerSnapshot(id: id, accountID: account, fetchedAt: date, requestedBoard: .regular, resolvedType: .regular, latencyMs: 100,
                              record: HiscoresRecord(skills: skillRows, activities: activityRows))
    }

    static func evaluate(_ rules: [ContestRule], _ members: [ContestMember], asOf: Date? = nil) -> ContestEvaluation {
        RuleEvaluator.evaluate(rules: rules, startAt: start, endAt: end, asOf: asOf, members: members)
    }

    static let before = start.addingTimeInterval(-600)
    static let during = start.addingTimeInterval(3 * 86_400)
    static let atEnd = end.addingTimeInterval(-60)
}

@Suite struct RuleEvaluationTests {
    typealias F = SnapshotFixture

    @Test func skillXPIsJudgedOnTheBestSelectedSkillWithItsProof() throws {
        let rule = try ContestRule(position: 1, kind: .skillXP, targets: ["Attack", "Slayer"], threshold: 120_000, title: "Grind")
        let member = ContestMember(accountID: 1, name: "Zezima", snapshots: [
            F.snapshot(id: 10, at: F.before, skills: ["Slayer": (80, 2_000_000), "Attack": (90, 5_400_000)]),
            F.snapshot(id: 11, at: F.atEnd, skills: ["Slayer": (82, 2_130_000), "Attack": (90, 5_410_000)]),
        ])
        let result = F.evaluate([rule], [member])
        let progress = try #require(result.members.first?.progress.first)
        #expect(progress.satisfied)
        #expect(progress.proof.value == 130_000)
        #expect(progress.proof.startSnapshotID == 10 && progress.proof.endSnapshotID == 11)
        #expect(progress.proof.deltas.map(\.gained) == [10_000, 130_000])
        #expect(result.entries.count == 1)
        #expect(result.entries.first?.entryCount == 1)
        // The proof is what contest_entries.proof stores.
        let json = String(decoding: try JSONEncoder().encode(progress.proof), as: UTF8.self)
        #expect(json.contains("\"start_snapshot_id\":10"))
    }

    @Test func standingsSayWhatIsMissing() throws {
        let rule = try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer"], threshold: 120_000, title: "Slayer grind")
        let member = ContestMember(accountID: 1, name: "Zezima", snapshots: [
            F.snapshot(id: 1, at: F.before, skills: ["Slayer": (80, 2_000_000)]),
            F.snapshot(id: 2, at: F.during, skills: ["Slayer": (80, 2_000_000)]),
            F.snapshot(id: 3, at: F.atEnd, skills: ["Slayer": (85, 2_500_000)]),
        ])
        let standing = try #require(F.evaluate([rule], [member], asOf: F.during.addingTimeInterval(60)).members.first?.progress.first)
        #expect(standing.proof.endSnapshotID == 2)  // the end of the window is "now", not the contest end
        #expect(standing.standing == "needs 120,000 more Slayer xp")
        #expect(standing.remaining == 120_000)
        let final = try #require(F.evaluate([rule], [member]).members.first?.progress.first)
        #expect(final.standing == "done: 1 entry")
    }

    @Test func levelsTotalXPBossesAndCluesAreSummed() throws {
        let rules = [
            try ContestRule(position: 1, kind: .skillLevels, targets: ["Attack", "Strength"], threshold: 3, title: "Melee"),
            try ContestRule(position: 2, kind: .totalXP, targets: [], threshold: 1_000_000, title: "A million"),
            try ContestRule(position: 3, kind: .bossKC, targets: ["Vorkath", "Zulrah"], threshold: 50, title: "Bossing"),
            try ContestRule(position: 4, kind: .clueCount, targets: ["hard", "elite"], threshold: 10, title: "Clues"),
            try ContestRule(position: 5, kind: .clueCount, targets: [], threshold: 12, title: "All clues"),
            try ContestRule(position: 6, kind: .skillLevels, targets: [], threshold: 4, title: "Total level"),
        ]
        let member = ContestMember(accountID: 1, name: "B0aty", snapshots: [
            F.snapshot(id: 1, at: F.before, overallXP: 100_000_000, overallLevel: 2000, skills: ["Attack": (70, 737_627), "Strength": (70, 737_627)],
                       activities: ["Vorkath": 100, "Zulrah": 200, "Clue Scrolls (hard)": 10, "Clue Scrolls (elite)": 5, "Clue Scrolls (all)": 40]),
            F.snapshot(id: 2, at: F.atEnd, overallXP: 101_000_000, overallLevel: 2003, skills: ["Attack": (72, 899_257), "Strength": (71, 814_445)],
                       activities: ["Vorkath": 130, "Zulrah": 225, "Clue Scrolls (hard)": 16, "Clue Scrolls (elite)": 8, "Clue Scrolls (all)": 51]),
        ])
        let progress = try #require(F.evaluate(rules, [member]).members.first?.progress)
        #expect(progress.map(\.proof.value) == [3, 1_000_000, 55, 9, 11, 3])
        #expect(progress.map(\.satisfied) == [true, true, true, false, false, false])
        #expect(progress[3].standing == "needs 1 more hard or elite clue")
        #expect(progress[2].proof.deltas.map(\.name) == ["Vorkath", "Zulrah"])
        #expect(progress[4].proof.deltas.map(\.name) == ["Clue Scrolls (all)"])
    }

    @Test func unrankedToRankedCountsLikeTheTrackers() throws {
        let rules = [
            try ContestRule(position: 1, kind: .bossKC, targets: ["Vorkath"], threshold: 60, title: "Vorkath"),
            try ContestRule(position: 2, kind: .skillXP, targets: ["Cooking"], threshold: 50_000, title: "Cook"),
        ]
        let member = ContestMember(accountID: 1, name: "Iron Mammal", snapshots: [
            F.snapshot(id: 1, at: F.before),
            F.snapshot(id: 2, at: F.atEnd, skills: ["Cooking": (40, 60_000)], activities: ["Vorkath": 73]),
        ])
        let progress = try #require(F.evaluate(rules, [member]).members.first?.progress)
        // Vorkath ranks from 5 kills: -1 → 73 counts 73 − 4 = 69. Cooking unranked → ranked counts from 0.
        #expect(progress[0].proof.value == 69)
        #expect(progress[0].proof.deltas.first?.change == .enteredRanking)
        #expect(progress[1].proof.value == 60_000)
        #expect(progress.allSatisfy { $0.satisfied })
    }

    @Test func aRollbackCountsAsNoGainAndIsNoted() throws {
        let rule = try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer"], threshold: 1, title: "Any slayer")
        let member = ContestMember(accountID: 1, name: "Zezima", snapshots: [
            F.snapshot(id: 1, at: F.before, skills: ["Slayer": (80, 2_000_000)]),
            F.snapshot(id: 2, at: F.atEnd, skills: ["Slayer": (79, 1_900_000)]),
        ])
        let result = try #require(F.evaluate([rule], [member]).members.first)
        #expect(result.progress.first?.proof.value == 0)
        #expect(result.progress.first?.proof.deltas.first?.change == .decreased)
        #expect(result.entries == 0)
        #expect(result.notes.contains { $0.contains("Slayer") && $0.contains("no gain") })
    }

    @Test func membersWithoutABaselineOrWhoLeftAreExcludedWithTheReason() throws {
        let rule = try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, title: "Anything")
        let late = ContestMember(accountID: 2, name: "Late Joiner", snapshots: [
            F.snapshot(id: 5, account: 2, at: F.during), F.snapshot(id: 6, account: 2, at: F.atEnd, overallXP: 20_000_000),
        ])
        let never = ContestMember(accountID: 3, name: "Never Seen", snapshots: [])
        let gone = ContestMember(accountID: 4, name: "Gone", snapshots: [
            F.snapshot(id: 7, account: 4, at: F.before), F.snapshot(id: 8, account: 4, at: F.atEnd, overallXP: 20_000_000),
        ], leftAt: F.during)
        let stayedUntilAfter = ContestMember(accountID: 5, name: "Stayed", snapshots: [
            F.snapshot(id: 9, account: 5, at: F.before), F.snapshot(id: 10, account: 5, at: F.atEnd, overallXP: 20_000_000),
        ], leftAt: F.end.addingTimeInterval(86_400))
        let result = F.evaluate([rule], [late, never, gone, stayedUntilAfter])
        #expect(result.excluded.map(\.accountID) == [2, 3, 4])
        #expect(result.members[0].exclusion == .noBaseline(firstSnapshotAt: F.during))
        #expect(result.members[0].exclusion?.description.contains("no snapshot at or before the start") == true)
        #expect(result.members[1].exclusion == .noBaseline(firstSnapshotAt: nil))
        #expect(result.members[2].exclusion == .leftClan(at: F.during))
        #expect(result.entrants == [EntryList.Entrant(accountID: 5, name: "Stayed", tickets: 1)])
    }

    @Test func theBaselineIsTheLastSnapshotAtOrBeforeTheStartAndLaterOnesAreIgnored() throws {
        let rule = try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, title: "Anything")
        let member = ContestMember(accountID: 1, name: "Zezima", snapshots: [
            F.snapshot(id: 4, at: F.end.addingTimeInterval(3600), overallXP: 50_000_000),  // after the end: ignored
            F.snapshot(id: 1, at: F.start.addingTimeInterval(-86_400), overallXP: 9_000_000),
            F.snapshot(id: 2, at: F.start, overallXP: 10_000_000),  // exactly at the start: the baseline
            F.snapshot(id: 3, at: F.atEnd, overallXP: 10_500_000),
        ])
        let progress = try #require(F.evaluate([rule], [member]).members.first?.progress.first)
        #expect(progress.proof.startSnapshotID == 2 && progress.proof.endSnapshotID == 3)
        #expect(progress.proof.value == 500_000)
        let onlyBaseline = ContestMember(accountID: 1, name: "Zezima", snapshots: [F.snapshot(id: 1, at: F.before)])
        let quiet = try #require(F.evaluate([rule], [onlyBaseline]).members.first)
        #expect(quiet.exclusion == nil)
        #expect(quiet.notes == ["no snapshot since the start yet"])
        #expect(quiet.entries == 0)
    }

    @Test func weightsBecomeTicketsInTheEntryList() throws {
        let rules = [
            try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 100, weight: 2, title: "Some xp"),
            try ContestRule(position: 2, kind: .skillXP, targets: ["Slayer"], threshold: 100, weight: 3, title: "Some slayer"),
        ]
        let both = ContestMember(accountID: 1, name: "Lynx_Titan", snapshots: [
            F.snapshot(id: 1, at: F.before, skills: ["Slayer": (80, 2_000_000)]),
            F.snapshot(id: 2, at: F.atEnd, overallXP: 10_001_000, skills: ["Slayer": (80, 2_001_000)]),
        ])
        let one = ContestMember(accountID: 2, name: "B0aty", snapshots: [
            F.snapshot(id: 3, account: 2, at: F.before), F.snapshot(id: 4, account: 2, at: F.atEnd, overallXP: 10_001_000),
        ])
        let result = F.evaluate(rules, [both, one])
        #expect(result.entries.map(\.entryCount) == [2, 3, 2])
        let list = try #require(try result.entryList())
        #expect(list.text == "b0aty\nb0aty\nlynx titan\nlynx titan\nlynx titan\nlynx titan\nlynx titan\n")
        let nobody = F.evaluate(rules, [ContestMember(accountID: 3, name: "Idle", snapshots: [F.snapshot(id: 9, account: 3, at: F.before)])])
        #expect(try nobody.entryList() == nil)
    }
}

@Suite struct ContestRuleTests {
    @Test func theCanonicalRulesTextIsWhatTheVectorsCommitTo() throws {
        let rules = [
            try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer"], threshold: 120_000, title: "Slayer grind"),
            try ContestRule(position: 2, kind: .bossKC, targets: ["Zulrah", "Vorkath", "zulrah"], threshold: 50, title: " Bossing "),
        ]
        let vector = try DrawVectorFiles.loadDraw("n5")
        #expect(ContestRule.canonicalText(rules) == vector.rulesText)
        #expect(ContestRule.digest(rules).hexString == vector.proof.activation.rulesDigest)
        let clues = try ContestRule(position: 1, kind: .clueCount, targets: ["ALL"], threshold: 5, title: "Clue hunters")
        #expect(ContestRule.canonicalText([clues]) == (try DrawVectorFiles.loadDraw("n8-power-of-two")).rulesText)
    }

    @Test func rulesAreValidated() {
        let cases: [(() throws -> ContestRule, ContestRuleError)] = [
            ({ try ContestRule(position: 0, kind: .totalXP, targets: [], threshold: 1, title: "t") }, .invalidPosition(0)),
            ({ try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 0, title: "t") }, .thresholdBelowOne(0)),
            ({ try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, weight: 0, title: "t") }, .invalidWeight(0)),
            ({ try ContestRule(position: 1, kind: .totalXP, targets: ["Attack"], threshold: 1, title: "t") }, .unexpectedTargets(.totalXP)),
            ({ try ContestRule(position: 1, kind: .skillXP, targets: [], threshold: 1, title: "t") }, .missingTargets(.skillXP)),
            ({ try ContestRule(position: 1, kind: .bossKC, targets: [], threshold: 1, title: "t") }, .missingTargets(.bossKC)),
            ({ try ContestRule(position: 1, kind: .skillXP, targets: ["Overall"], threshold: 1, title: "t") }, .overallIsTotalXP),
            ({ try ContestRule(position: 1, kind: .clueCount, targets: ["legendary"], threshold: 1, title: "t") }, .unknownClueTier("legendary")),
            ({ try ContestRule(position: 1, kind: .skillXP, targets: ["Att,ack"], threshold: 1, title: "t") }, .invalidTarget("Att,ack")),
            ({ try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, title: "a\tb") }, .invalidTitle("the title 'a\tb' contains a control character (tab, newline, …)")),
            ({ try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, title: "   ") }, .invalidTitle("a rule needs a title of 1–100 characters")),
        ]
        for (make, expected) in cases {
            #expect(throws: expected) { try make() }
        }
    }

    @Test func rulesDescribeThemselves() throws {
        #expect(try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer", "Attack"], threshold: 120_000, title: "t").summary == "gain 120,000 xp in Slayer or Attack")
        #expect(try ContestRule(position: 1, kind: .bossKC, targets: ["Vorkath"], threshold: 50, title: "t").summary == "kill Vorkath 50 times")
        #expect(try ContestRule(position: 1, kind: .clueCount, targets: [], threshold: 5, title: "t").summary == "complete 5 clues")
    }
}
