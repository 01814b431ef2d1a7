import Foundation
import Testing
@testable import Domain

/// Automatic teams (README "Teams filled automatically"): a snake draft by rating, ties by normalised name.
@Suite struct TeamBalancerTests {
    @Test func aSnakeDraftDealsTheBestFirstAndTurnsEachRound() throws {
        // a = 9, b = 8, …, g = 3: picks go A B C, C B A, A.
        let members = ["g", "f", "e", "d", "c", "b", "a"].enumerated().map { TeamBalancer.Rated(name: $1, rating: Int64(3 + $0)) }
        let teams = try TeamBalancer.balance(members.shuffled(), names: ["A", "B", "C"])
        #expect(teams.map(\.members) == [["a", "f", "g"], ["b", "e"], ["c", "d"]])
        #expect(teams.map(\.name) == ["A", "B", "C"])
    }

    @Test func equalRatingsAreOrderedByNormalisedNameWhateverTheInputOrder() throws {
        let members = [("Zed", 5), ("al_pha", 5), ("Al Pha2", 5), ("bob", 5), ("Top", 10)].map { TeamBalancer.Rated(name: $0.0, rating: Int64($0.1)) }
        // Order: Top, then "al pha" < "al pha2" < "bob" < "zed" (normalised, byte order). Snake over 2: T1 T2 T2 T1 T1.
        for _ in 0..<5 {
            let teams = try TeamBalancer.balance(members.shuffled(), names: TeamBalancer.defaultNames(2))
            #expect(teams.map(\.members) == [["Top", "bob", "Zed"], ["al_pha", "Al Pha2"]])
            #expect(teams.map(\.name) == ["Team 1", "Team 2"])
        }
    }

    @Test func tooFewMembersOrTeamsAreRefused() {
        let two = [TeamBalancer.Rated(name: "a", rating: 1), TeamBalancer.Rated(name: "b", rating: 1)]
        #expect(throws: TeamBalanceError.tooFewMembers(members: 2, teams: 3)) { try TeamBalancer.balance(two, names: ["A", "B", "C"]) }
        #expect(throws: TeamBalanceError.teamCount(1)) { try TeamBalancer.balance(two, names: ["A"]) }
        #expect(throws: TeamBalanceError.teamCount(11)) { try TeamBalancer.balance(two, names: TeamBalancer.defaultNames(11)) }
    }

    @Test func theSnakeMatchesItsDefinition() {
        // Independently: round r goes forward when r is even, backward when odd.
        for teams in 2...5 {
            for pick in 0..<30 {
                let round = pick / teams, offset = pick % teams
                #expect(TeamBalancer.team(ofPick: pick, teams: teams) == (round.isMultiple(of: 2) ? offset : teams - 1 - offset))
            }
        }
    }
}

/// The slots of a recurring contest: the same weekday and wall-clock time every week, through daylight saving.
@Suite struct SeriesScheduleTests {
    static func series(metrics: [String] = ["Slayer", "Fishing", "Agility"], kind: ContestKind = .ranked, weeks: Int = 1,
                       days: Int = 7, zone: TimeZone, first: Date) throws -> ContestSeries {
        try ContestSeries(id: 1, clanID: 1, name: "Skill of the Week", kind: kind, ruleKind: .skillXP, metrics: metrics, threshold: 10_000,
                          weight: 1, winnersCount: 1, prize: nil, randomness: .drand, teamCount: kind == .teams ? 2 : nil,
                          firstStartLocal: ContestSeries.localSecond(first, zone: zone), cadenceDays: 7 * weeks, durationDays: days,
                          createdAt: first)
    }

    static func date(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }
    static let utc = TimeZone(secondsFromGMT: 0) ?? .current

    @Test func slotsKeepTheLocalTimeAcrossTheClockChange() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        // Sunday 1 March 2026 20:00 EST (UTC−5); summer time from 8 March (UTC−4).
        let series = try Self.series(days: 2, zone: zone, first: try Self.date("2026-03-02T01:00:00Z"))
        #expect(series.start(ofSlot: 0, zone: zone) == (try Self.date("2026-03-02T01:00:00Z")))
        #expect(series.start(ofSlot: 1, zone: zone) == (try Self.date("2026-03-09T00:00:00Z")))
        #expect(series.end(ofSlot: 1, zone: zone) == (try Self.date("2026-03-11T00:00:00Z")))
        #expect(series.currentSlot(at: try Self.date("2026-03-01T00:00:00Z"), zone: zone) == 0)
        #expect(series.currentSlot(at: try Self.date("2026-03-04T01:00:00Z"), zone: zone) == 1)  // slot 0 ended
        #expect(series.currentSlot(at: try Self.date("2026-03-10T00:00:00Z"), zone: zone) == 1)
        #expect(series.currentSlot(at: try Self.date("2026-05-20T00:00:00Z"), zone: zone) == 12)
    }

    @Test func editionsRotateThroughTheMetricsAndNameThemselves() throws {
        let series = try Self.series(zone: Self.utc, first: try Self.date("2026-03-02T18:00:00Z"))
        #expect((1...7).map { series.metric(forEdition: $0) } == ["Slayer", "Fishing", "Agility", "Slayer", "Fishing", "Agility", "Slayer"])
        #expect(series.contestName(forEdition: 5) == "Skill of the Week #5: Fishing")
        let rule = try series.rule(forEdition: 3)
        #expect(rule.targets == ["Agility"] && rule.threshold == 10_000 && rule.weight == 1 && rule.kind == .skillXP)
    }

    @Test func badTemplatesAreRefused() throws {
        let first = try Self.date("2026-03-02T18:00:00Z")
        #expect(throws: ContestSeriesError.self) { try Self.series(days: 8, zone: Self.utc, first: first) }
        #expect(throws: ContestSeriesError.self) { try Self.series(metrics: ["Over,all"], zone: Self.utc, first: first) }
        #expect(throws: ContestSeriesError.self) { try Self.series(metrics: [], zone: Self.utc, first: first) }  // skill xp needs a skill
        #expect(try Self.series(weeks: 2, days: 14, zone: Self.utc, first: first).end(ofSlot: 0, zone: Self.utc) == first.addingTimeInterval(14 * 86_400))
    }
}
