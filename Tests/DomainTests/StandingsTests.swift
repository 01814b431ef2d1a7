import Foundation
import Testing
import TestSupport
@testable import Domain

@Suite struct StandingsTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ id: Int64, _ name: String, _ score: Int64, team: String? = nil, at offset: TimeInterval? = 0) -> Standings.Entry {
        Standings.Entry(accountID: id, name: name, score: score, team: team, measuredAt: offset.map { t0 + $0 })
    }

    @Test func higherScoresFirstTiesSharePlacesAndAreListedByName() {
        let table = Standings(unit: .points, entries: [
            Self.entry(1, "carl", 5), Self.entry(2, "Bea", 9), Self.entry(3, "anna", 5), Self.entry(4, "Dan", 0), Self.entry(5, "Eve", 9),
        ], isFinal: false)
        #expect(table.rows.map(\.entry.name) == ["Bea", "Eve", "anna", "carl", "Dan"])
        #expect(table.rows.map(\.place) == [1, 1, 3, 3, 5])
        #expect(table.teams.isEmpty)
    }

    @Test func theOrderNeverDependsOnTheInputOrder() {
        var generator = SeededGenerator(seed: 12)
        let entries = (1...40).map { Self.entry(Int64($0), "m\($0 % 7)", Int64($0 % 5)) }
        let reference = Standings(unit: .tickets, entries: entries, isFinal: false)
        for _ in 0..<20 {
            let shuffled = Standings(unit: .tickets, entries: entries.shuffled(using: &generator), isFinal: false)
            #expect(shuffled == reference)
        }
        // Equal names and scores fall back to the account id.
        let twins = reference.rows.filter { $0.entry.name == "m1" && $0.entry.score == 1 }.map(\.entry.accountID)
        #expect(twins == twins.sorted())
    }

    @Test func teamsAreTheSumOfTheirMembers() {
        let table = Standings(unit: .points, entries: [
            Self.entry(1, "a", 10, team: "Red"), Self.entry(2, "b", 5, team: "Blue"), Self.entry(3, "c", 7, team: "Blue"),
            Self.entry(4, "d", 2, team: "Red"), Self.entry(5, "e", 1, team: "Green"),
        ], isFinal: true)
        #expect(table.teams.map(\.name) == ["Blue", "Red", "Green"])
        #expect(table.teams.map(\.score) == [12, 12, 1])
        #expect(table.teams.map(\.place) == [1, 1, 3])
        #expect(table.teams.map(\.members) == [2, 2, 1])
    }

    @Test func soFarIsTheNewestSnapshotUsedNotWhenAsked() {
        let table = Standings(unit: .tickets, entries: [Self.entry(1, "a", 1, at: 60), Self.entry(2, "b", 1, at: -7200), Self.entry(3, "c", 0, at: nil)],
                              isFinal: false)
        #expect(table.soFar == Self.t0 + 60)
        #expect(table.oldestMeasure == Self.t0 - 7200)
        #expect(Standings(unit: .tickets, entries: [], isFinal: false).soFar == nil)
    }

    @Test func pagesAreClampedToThoseThatExist() {
        let table = Standings(unit: .tickets, entries: (1...31).map { Self.entry(Int64($0), "m\($0)", Int64($0)) }, isFinal: false)
        #expect(table.page(0, perPage: 15).pages == 3)
        #expect(table.page(2, perPage: 15).rows.count == 1)
        #expect(table.page(9, perPage: 15).page == 2)
        #expect(table.page(-3, perPage: 15).page == 0)
        let empty = Standings(unit: .tickets, entries: [], isFinal: false).page(4, perPage: 15)
        #expect(empty.pages == 1 && empty.page == 0 && empty.rows.isEmpty)
    }

    @Test func unitsSaySingularAndPlural() {
        #expect(Standings.Unit.tickets.amount(1) == "1 ticket")
        #expect(Standings.Unit.points.amount(12_500) == "12,500 points")
        #expect(Standings.Unit.points.amount(0) == "0 points")
    }

    @Test func aRafflesStandingsAreTicketsWithProgressAndExclusions() throws {
        typealias F = SnapshotFixture
        let rule = try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer"], threshold: 100_000, weight: 2, title: "Slayer")
        let members = [
            ContestMember(accountID: 1, name: "Zezima", snapshots: [
                F.snapshot(id: 1, at: F.before, skills: ["Slayer": (80, 2_000_000)]),
                F.snapshot(id: 2, at: F.during, skills: ["Slayer": (82, 2_150_000)]),
            ]),
            ContestMember(accountID: 2, name: "Lynx", snapshots: [
                F.snapshot(id: 3, account: 2, at: F.before, skills: ["Slayer": (80, 2_000_000)]),
                F.snapshot(id: 4, account: 2, at: F.during - 600, skills: ["Slayer": (80, 2_040_000)]),
            ]),
            ContestMember(accountID: 3, name: "Newbie", snapshots: [F.snapshot(id: 5, account: 3, at: F.during, skills: ["Slayer": (80, 2_000_000)])]),
        ]
        let table = F.evaluate([rule], members, asOf: F.during + 60).standings(isFinal: false)
        #expect(table.unit == .tickets)
        #expect(table.rows.map(\.entry.name) == ["Zezima", "Lynx"])
        #expect(table.rows.map(\.entry.score) == [2, 0])
        #expect(table.rows[1].entry.detail == "1. needs 60,000 more Slayer xp")
        #expect(table.soFar == F.during)
        #expect(table.excluded.map(\.name) == ["Newbie"])
        #expect(!table.isFinal)
    }
}
