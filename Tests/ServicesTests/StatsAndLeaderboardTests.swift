import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// A clan whose June was written by hand; every expectation below is worked out from these rows.
struct JuneClan {
    let fixture: ServicesFixture
    let clanID: Int64
    let ids: [String: Int64]
    /// 1–30 June 2026, UTC (the clan's zone).
    let timeframe: Timeframe

    static func make(_ backend: TestDatabaseBackend = .sqlite) async throws -> JuneClan {
        let fixture = try await ServicesFixture(backend)
        let clanID = try await fixture.clan("Iron Wolves")
        var ids: [String: Int64] = [:]
        for name in ["Alice", "Bob", "Carol", "Dan", "Erin", "Frank", "Gina"] {
            ids[name] = try await fixture.account(name)
            try await fixture.join(clanID, ids[name] ?? 0, active: name != "Frank")
        }
        func at(_ text: String) -> Date { instant(text) }
        let f = fixture
        // Alice: baseline 25 May, end 28 June; the 5 July snapshot lies outside the window.
        try await f.snapshot(ids["Alice"]!, at: at("2026-05-25T12:00:00Z"), skills: [("Overall", 1000, 5_000_000), ("Attack", 80, 2_000_000)],
                             activities: [("Clue Scrolls (all)", 10), ("Clue Scrolls (hard)", 4), ("Zulrah", 50)])
        try await f.snapshot(ids["Alice"]!, at: at("2026-06-15T12:00:00Z"), skills: [("Overall", 1005, 5_300_000), ("Attack", 81, 2_200_000)],
                             activities: [("Clue Scrolls (all)", 11), ("Clue Scrolls (hard)", 5), ("Zulrah", 60)])
        try await f.snapshot(ids["Alice"]!, at: at("2026-06-28T12:00:00Z"), skills: [("Overall", 1010, 5_600_000), ("Attack", 82, 2_400_000)],
                             activities: [("Clue Scrolls (all)", 13), ("Clue Scrolls (hard)", 6), ("Zulrah", 65)])
        try await f.snapshot(ids["Alice"]!, at: at("2026-07-05T12:00:00Z"), skills: [("Overall", 1100, 9_000_000), ("Attack", 90, 5_000_000)],
                             activities: [("Clue Scrolls (all)", 50), ("Clue Scrolls (hard)", 40), ("Zulrah", 500)])
        // Bob: starts unranked at Zulrah and hard clues.
        try await f.snapshot(ids["Bob"]!, at: at("2026-05-31T23:00:00Z"), skills: [("Overall", 900, 3_000_000), ("Attack", 70, 800_000)],
                             activities: [("Clue Scrolls (all)", 2), ("Clue Scrolls (hard)", -1), ("Zulrah", -1)])
        try await f.snapshot(ids["Bob"]!, at: at("2026-06-20T08:00:00Z"), skills: [("Overall", 905, 3_600_000), ("Attack", 75, 1_200_000)],
                             activities: [("Clue Scrolls (all)", 5), ("Clue Scrolls (hard)", 1), ("Zulrah", 12)])
        // Carol: first snapshot inside the window (partial baseline).
        try await f.snapshot(ids["Carol"]!, at: at("2026-06-10T00:00:00Z"), skills: [("Overall", 500, 1_000_000), ("Attack", 50, 100_000)])
        try await f.snapshot(ids["Carol"]!, at: at("2026-06-25T00:00:00Z"), skills: [("Overall", 502, 1_050_000), ("Attack", 51, 110_000)])
        // Dan: nothing since May.
        try await f.snapshot(ids["Dan"]!, at: at("2026-05-20T00:00:00Z"), skills: [("Overall", 600, 1_500_000), ("Attack", 60, 300_000)])
        // Erin: measured, gained nothing.
        try await f.snapshot(ids["Erin"]!, at: at("2026-05-30T00:00:00Z"), skills: [("Overall", 700, 2_000_000), ("Attack", 60, 300_000)],
                             activities: [("Zulrah", 7)])
        try await f.snapshot(ids["Erin"]!, at: at("2026-06-29T00:00:00Z"), skills: [("Overall", 700, 2_000_000), ("Attack", 60, 300_000)],
                             activities: [("Zulrah", 7)])
        // Frank: left the clan; his gains must not count.
        try await f.snapshot(ids["Frank"]!, at: at("2026-05-30T00:00:00Z"), skills: [("Overall", 100, 10)])
        try await f.snapshot(ids["Frank"]!, at: at("2026-06-29T00:00:00Z"), skills: [("Overall", 2000, 99_000_000)])
        // Gina: a hiscores rollback.
        try await f.snapshot(ids["Gina"]!, at: at("2026-05-30T00:00:00Z"), skills: [("Overall", 800, 4_000_000), ("Attack", 70, 900_000)])
        try await f.snapshot(ids["Gina"]!, at: at("2026-06-29T00:00:00Z"), skills: [("Overall", 800, 3_900_000), ("Attack", 70, 900_000)])
        let timeframe = try Timeframe.parse("2026-06-01..2026-06-30", timeZone: TimeZone(identifier: "UTC") ?? .gmt)
        return JuneClan(fixture: fixture, clanID: clanID, ids: ids, timeframe: timeframe)
    }
}

@Suite(.databaseTests) struct LeaderboardServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func xpGainedRanksTiesAndListsMembersWithoutData(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let service = LeaderboardService(store: june.fixture.store)
        let board = try await service.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe)
        // Alice 5.6m-5.0m, Bob 3.6m-3.0m, Carol 1.05m-1.0m (partial), Erin 0, Gina rollback 0. Frank left.
        #expect(board.rows.map(\.name) == ["Alice", "Bob", "Carol", "Erin", "Gina"])
        #expect(board.rows.map(\.value) == [600_000, 600_000, 50_000, 0, 0])
        #expect(board.rows.map(\.rank) == [1, 1, 3, 4, 4])
        #expect(board.rows.map(\.partial) == [false, false, true, false, false])
        #expect(board.rows.first { $0.name == "Gina" }?.rollback == true)
        #expect(board.withoutData.map(\.name) == ["Dan"])
    }

    @Test(arguments: TestDatabaseBackend.all) func bossClueAndSkillBoardsUseTheDeltaRules(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let service = LeaderboardService(store: june.fixture.store)
        // Bob's Zulrah: unranked → 12 counts from the 5-kill minimum: 12 - 4 = 8.
        let zulrah = try await service.leaderboard(clanID: june.clanID, metric: .bossKC(boss: "zulrah"), timeframe: june.timeframe)
        #expect(zulrah.metric == .bossKC(boss: "Zulrah"))
        #expect(Array(zulrah.rows.prefix(2)).map(\.value) == [15, 8])
        #expect(zulrah.rows.map(\.rank) == [1, 2, 3, 3, 3])
        #expect(zulrah.rows[1].estimated)
        let hard = try await service.leaderboard(clanID: june.clanID, metric: .clues(.hard), timeframe: june.timeframe)
        #expect(Array(hard.rows.prefix(2)).map(\.name) == ["Alice", "Bob"])
        #expect(Array(hard.rows.prefix(2)).map(\.value) == [2, 1])
        let all = try await service.leaderboard(clanID: june.clanID, metric: .clues(.all), timeframe: june.timeframe)
        #expect(Array(all.rows.prefix(2)).map(\.rank) == [1, 1])
        let attack = try await service.leaderboard(clanID: june.clanID, metric: .skillXP(skill: "ATTACK"), timeframe: june.timeframe)
        #expect(Array(attack.rows.prefix(3)).map(\.value) == [400_000, 400_000, 10_000])
        let levels = try await service.leaderboard(clanID: june.clanID, metric: .levelsGained, timeframe: june.timeframe)
        #expect(Array(levels.rows.prefix(3)).map(\.value) == [10, 5, 2])
    }

    @Test(arguments: TestDatabaseBackend.all) func anUnknownBossIsAClearErrorWithSuggestions(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let service = LeaderboardService(store: june.fixture.store)
        await #expect {
            _ = try await service.leaderboard(clanID: june.clanID, metric: .bossKC(boss: "Zulra"), timeframe: june.timeframe)
        } throws: { error in
            String(describing: error).contains("Did you mean: Zulrah")
        }
        await #expect(throws: ServiceError.clanNotFound("#999")) {
            _ = try await service.leaderboard(clanID: 999, metric: .xpGained, timeframe: june.timeframe)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func cachedUntilInvalidatedAndSharedThroughTheDatabase(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let service = LeaderboardService(store: june.fixture.store)
        let first = try await service.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe)
        let rows = try await june.fixture.store.read { db in try db.scalar("SELECT count(*) FROM clan_leaderboards", as: Int.self) }
        #expect(rows == 1)
        // A new snapshot alone does not change the cached board …
        try await june.fixture.snapshot(june.ids["Erin"]!, at: instant("2026-06-29T12:00:00Z"), skills: [("Overall", 701, 2_700_000)])
        #expect(try await service.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe) == first)
        // … another process reading the same file gets the cached copy too …
        let other = LeaderboardService(store: try await Store(path: june.fixture.path))
        #expect(try await other.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe) == first)
        // … until the batch's end invalidates it.
        try await june.fixture.store.write { db in try db.aggregateCache.invalidate(clanID: june.clanID) }
        let fresh = try await service.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe)
        #expect(fresh.rows.first { $0.name == "Erin" }?.value == 700_000)
        #expect(fresh.rows.first?.name == "Erin")
    }
}

@Suite(.databaseTests) struct StatsServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func totalsPerSkillActivitiesPerformersAndSlackers(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let stats = try await StatsService(store: june.fixture.store).stats(clanID: june.clanID, timeframe: june.timeframe)
        #expect(stats.memberCount == 6)          // Frank is not active
        #expect(stats.membersWithData == 5)      // Dan has nothing in June
        #expect(stats.totalXPGained == 600_000 + 600_000 + 50_000)
        #expect(stats.totalLevelsGained == 10 + 5 + 2)
        #expect((stats.skills.first { $0.name == "Attack" }?.xpGained ?? -1) == 400_000 + 400_000 + 10_000)
        #expect((stats.skills.first { $0.name == "Attack" }?.levelsGained ?? -1) == 2 + 5 + 1)
        #expect(stats.bosses.map(\.name) == ["Zulrah"])
        #expect((stats.bosses.first?.gained ?? -1) == 15 + 8)
        #expect(stats.clues.map(\.name) == ["Clue Scrolls (all)", "Clue Scrolls (hard)"])
        #expect(stats.clues.map(\.gained) == [3 + 3, 2 + 1])
        #expect(stats.topPerformers.map(\.name) == ["Alice", "Bob", "Carol"])
        #expect(stats.slackers.map(\.name) == ["Erin", "Gina", "Dan"])
        #expect(stats.slackers.map(\.reason) == [.noGain, .noGain, .noData])
        #expect(stats.partialBaselines.map(\.name) == ["Carol"])
        #expect(stats.rollbacks.map(\.name) == ["Gina"])
    }

    @Test(arguments: TestDatabaseBackend.all) func cachedReportIsReusedAndRecomputedAfterInvalidation(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let service = StatsService(store: june.fixture.store)
        let first = try await service.stats(clanID: june.clanID, timeframe: june.timeframe)
        let other = StatsService(store: try await Store(path: june.fixture.path))
        #expect(try await other.stats(clanID: june.clanID, timeframe: june.timeframe) == first)
        try await june.fixture.snapshot(june.ids["Dan"]!, at: instant("2026-06-29T12:00:00Z"), skills: [("Overall", 610, 1_600_000), ("Attack", 61, 320_000)])
        try await june.fixture.store.write { db in try db.aggregateCache.invalidate(accountID: june.ids["Dan"]!) }
        let fresh = try await service.stats(clanID: june.clanID, timeframe: june.timeframe)
        #expect(fresh.membersWithData == 6)
        #expect(fresh.totalXPGained == first.totalXPGained + 100_000)
    }

    @Test(arguments: TestDatabaseBackend.all) func rollingTimeframesUseTheClansClock(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Night Owls", timeZone: "America/New_York")
        let account = try await fixture.account("Zed")
        try await fixture.join(clanID, account)
        // Month to date at 1 July 03:00 UTC is still June in New York: the 2 June snapshot is the baseline.
        try await fixture.snapshot(account, at: instant("2026-05-31T12:00:00Z"), skills: [("Overall", 10, 100)])
        try await fixture.snapshot(account, at: instant("2026-06-02T12:00:00Z"), skills: [("Overall", 20, 1_000)])
        try await fixture.snapshot(account, at: instant("2026-07-01T02:00:00Z"), skills: [("Overall", 30, 5_000)])
        let now = instant("2026-07-01T03:00:00Z")
        let stats = try await StatsService(store: fixture.store, clock: { now }).stats(clanID: clanID, timeframe: .monthToDate)
        #expect(stats.window.start == instant("2026-06-01T04:00:00Z"))
        #expect(stats.totalXPGained == 5_000 - 100)
    }
}
