import Cryptography
import Foundation
import Testing
@testable import Domain

/// Points over several metrics (docs/draw-scheme.md §8.2), against values the tests compute themselves.
@Suite struct PointsScoringTests {
    typealias F = SnapshotFixture

    /// ⌊gained / unit⌋ × points by repeated subtraction: no division, so it cannot share a mistake with the code.
    static func independentPoints(gained: Int64, unit: Int64, points: Int) -> Int64 {
        var rest = gained
        var units: Int64 = 0
        while rest >= unit { rest -= unit; units += 1 }
        var total: Int64 = 0
        for _ in 0..<points { total += units }
        return total
    }

    @Test func pointsPerUnitFloorEachRuleOverAGrid() {
        for unit in Int64(1)...37 {
            for points in [1, 2, 3, 10, 1000] {
                for gained in Int64(-5)...400 {
                    let expected = gained <= 0 ? 0 : Self.independentPoints(gained: gained, unit: unit, points: points)
                    #expect(PointsScoring.points(gained: gained, unit: unit, pointsPerUnit: points) == expected,
                            "gained \(gained), unit \(unit), points \(points)")
                }
            }
        }
    }

    @Test func largeValuesAreExactAndNeverWrap() {
        // 200m xp in every one of 23 skills, one point per xp, 1000 points per unit: 4.6e12, well inside Int64.
        #expect(PointsScoring.points(gained: 4_600_000_000, unit: 1, pointsPerUnit: 1000) == 4_600_000_000_000)
        #expect(PointsScoring.points(gained: 19_999, unit: 10_000, pointsPerUnit: 1) == 1)
        #expect(PointsScoring.points(gained: .max, unit: 1, pointsPerUnit: 2) == .max)
        #expect(PointsScoring.sum([.max, 1]) == .max)
        #expect(PointsScoring.sum([3, 4, 5]) == 12)
    }

    static func rules() throws -> [ContestRule] {
        [
            // 1 point per 10,000 xp in Slayer + Attack together (a points rule sums its targets).
            try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer", "Attack"], threshold: 10_000, weight: 1, title: "Slayer and Attack"),
            try ContestRule(position: 2, kind: .bossKC, targets: ["Zulrah"], threshold: 1, weight: 3, title: "Zulrah"),
            try ContestRule(position: 3, kind: .clueCount, targets: ["elite"], threshold: 1, weight: 10, title: "Elite clues"),
        ]
    }

    /// A snapshot without some rows at all (a metric the hiscores did not have yet).
    static func snapshot(id: Int64, at date: Date, slayer: Int64, attack: Int64, zulrah: Int?, elite: Int) -> PlayerSnapshot {
        var snapshot = F.snapshot(id: id, at: date, skills: ["Slayer": (80, slayer), "Attack": (80, attack)],
                                  activities: ["Zulrah": zulrah ?? 0, "Clue Scrolls (elite)": elite])
        if zulrah == nil { snapshot.record.activities.removeAll { $0.name == "Zulrah" } }
        return snapshot
    }

    @Test func aPointsContestSumsRulesMembersAndTeamsFromTheBoundarySnapshots() throws {
        struct Values { var slayer: Int64; var attack: Int64; var zulrah: Int?; var elite: Int }
        let cases: [(String, Values, Values)] = [
            ("Zezima", Values(slayer: 1_000_000, attack: 50_000, zulrah: 100, elite: 5), Values(slayer: 1_234_567, attack: 65_432, zulrah: 117, elite: 7)),
            // Attack went down (a rollback): no gain there, never a negative one.
            ("Woox", Values(slayer: 2_000_000, attack: 900_000, zulrah: 10, elite: 0), Values(slayer: 2_019_999, attack: 850_000, zulrah: 12, elite: 1)),
            // Zulrah appeared during the contest: nothing counts for it.
            ("B0aty", Values(slayer: 500_000, attack: 10_000, zulrah: nil, elite: 2), Values(slayer: 500_000, attack: 29_999, zulrah: 40, elite: 2)),
            ("Lynx Titan", Values(slayer: 7, attack: 7, zulrah: 0, elite: 0), Values(slayer: 9_999, attack: 7, zulrah: 0, elite: 0)),
        ]
        var members: [ContestMember] = []
        var expected: [String: Int64] = [:]
        for (offset, (name, start, end)) in cases.enumerated() {
            let id = Int64(offset * 2 + 1)
            members.append(ContestMember(accountID: Int64(offset + 1), name: name, snapshots: [
                Self.snapshot(id: id, at: F.before, slayer: start.slayer, attack: start.attack, zulrah: start.zulrah, elite: start.elite),
                Self.snapshot(id: id + 1, at: F.atEnd, slayer: end.slayer, attack: end.attack, zulrah: end.zulrah, elite: end.elite),
            ]))
            let xp = max(0, end.slayer - start.slayer) + max(0, end.attack - start.attack)
            let kills = start.zulrah.map { Int64(max(0, (end.zulrah ?? 0) - $0)) } ?? 0
            let clues = Int64(max(0, end.elite - start.elite))
            expected[name] = xp / 10_000 * 1 + kills * 3 + clues * 10
        }
        // A member without a baseline takes no part.
        members.append(ContestMember(accountID: 9, name: "Late", snapshots: [Self.snapshot(id: 99, at: F.during, slayer: 0, attack: 0, zulrah: 0, elite: 0)]))

        let evaluation = F.evaluate(try Self.rules(), members)
        let ranked = PointsStandings.make(kind: .ranked, teams: [], evaluation: evaluation)
        #expect(Dictionary(uniqueKeysWithValues: ranked.competitors.map { ($0.displayName, $0.score) }) == expected)
        #expect(ranked.excluded.map(\.name) == ["Late"])
        #expect(ranked.competitors.map(\.score) == ranked.competitors.map(\.score).sorted(by: >))
        let woox = try #require(ranked.competitors.first { $0.displayName == "Woox" }?.members.first)
        #expect(woox.rules[0].gained == 19_999 && woox.rules[0].points == 1)
        #expect(woox.rules[0].proof.deltas.map(\.gained) == [19_999, 0])
        let boaty = try #require(ranked.competitors.first { $0.displayName == "B0aty" }?.members.first)
        #expect(boaty.rules[1].gained == 0 && boaty.rules[1].proof.deltas.first?.change == .appeared)
        // Lynx Titan scored nothing: not in the ranking file.
        let file = try #require(try ranked.rankingFile())
        #expect(file.count == expected.values.filter { $0 >= 1 }.count)
        #expect(!file.text.contains("lynx titan"))

        let teams = [try ContestTeam(name: "Red Dragons", members: ["Zezima", "lynx_titan"]),
                     try ContestTeam(name: "Blue", members: ["Woox", "B0aty", "Nobody Here"])]
        let teamStandings = PointsStandings.make(kind: .teams, teams: teams, evaluation: evaluation)
        let byTeam = Dictionary(uniqueKeysWithValues: teamStandings.competitors.map { ($0.displayName, $0.score) })
        #expect(byTeam == ["Red Dragons": (expected["Zezima"] ?? 0) + (expected["Lynx Titan"] ?? 0),
                           "Blue": (expected["Woox"] ?? 0) + (expected["B0aty"] ?? 0)])
        #expect(teamStandings.competitors.first { $0.displayName == "Blue" }?.missing == ["Nobody Here"])
        #expect(try teamStandings.rankingFile()?.lines.map(\.name).sorted() == ["blue", "red dragons"])
    }

    @Test func aMemberInTwoTeamsIsRefusedAndTeamsAreCommittedWithTheRules() throws {
        let red = try ContestTeam(name: "Red", members: ["Zezima", "Woox"])
        let blue = try ContestTeam(name: "Blue", members: ["b0aty", "WOOX"])
        #expect(throws: ContestTeamError.memberInTwoTeams(member: "woox", first: "Red", second: "Blue")) { try ContestTeam.validate([red, blue]) }
        #expect(throws: ContestTeamError.self) { try ContestTeam(name: "Red", members: ["Zezima", "zezima"]) }
        #expect(throws: ContestTeamError.self) { try ContestTeam(name: "", members: ["Zezima"]) }
        #expect(throws: ContestTeamError.self) { try ContestTeam(name: "Red", members: []) }
        #expect(throws: ContestTeamError.self) { try ContestTeam(name: "Red", members: ["not/an rsn"]) }
        #expect(throws: ContestTeamError.duplicateTeam("red")) { try ContestTeam.validate([red, try ContestTeam(name: "red", members: ["x"])]) }

        var contest = try Contest(id: 4, clanID: 1, name: "Teams", startAt: F.start, endAt: F.end, kind: .teams)
        contest = try contest.applying(.addRule(try ContestRule(position: 1, kind: .bossKC, targets: ["Vorkath"], threshold: 1, weight: 1, title: "Vorkath")))
        #expect(throws: ContestTransitionError.teams(.memberInTwoTeams(member: "woox", first: "Red", second: "Blue"))) {
            try contest.applying(.setTeams([red, blue]))
        }
        let commitment = { (c: Contest) in try DrawCommitment.make(contestID: c.id, endAt: c.endAt, secret: ContestFixture.secret, rulesDigest: c.rulesDigest, beacon: .standard) }
        #expect(throws: ContestTransitionError.tooFewTeams(0)) { try contest.applying(.activate(try commitment(contest), at: F.before)) }
        let green = try ContestTeam(name: "Green", members: ["B0aty"])
        contest = try contest.applying(.setTeams([red, green]))
        #expect(contest.rulesText == "kind\tteams\n1\tboss_kc\tvorkath\tper\t1\t1\tVorkath\nteam\tgreen\tb0aty\nteam\tred\twoox,zezima\n")
        let active = try contest.applying(.activate(try commitment(contest), at: F.before))
        #expect(throws: ContestTransitionError.self) { try active.applying(.setTeams([red])) }
        // A raffle's rules text is what it always was: old commitments and vectors stand.
        var raffle = try Contest(id: 5, clanID: 1, name: "Raffle", startAt: F.start, endAt: F.end)
        raffle = try raffle.applying(.addRule(try ContestFixture.rule()))
        #expect(raffle.rulesText == ContestRule.canonicalText(raffle.rules))
        #expect(throws: ContestTransitionError.teams(.notATeamContest(.raffle))) { try raffle.applying(.setTeams([red])) }
        // The kind is committed: the same rules under another kind give another digest.
        var ranked = raffle
        ranked.kind = .ranked
        #expect(ranked.rulesDigest != raffle.rulesDigest)
    }
}
