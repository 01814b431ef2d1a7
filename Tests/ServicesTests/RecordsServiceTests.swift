import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// Records against values worked out here from generated daily snapshots.
@Suite(.databaseTests) struct RecordsServiceTests {
    /// Four members, a snapshot every day at 18:00 UTC through June 2026 (1 June is a Monday), Attack xp growing by
    /// a random amount each day (some days nothing). Returns the fixture, the clan and each member's daily xp.
    static func month(_ backend: TestDatabaseBackend = .sqlite) async throws -> (ServicesFixture, Int64, [String: [Int64]]) {
        let fixture = try await ServicesFixture(backend)
        let clanID = try await fixture.clan("Record Breakers")
        var random = SeededGenerator(seed: 12)
        var values: [String: [Int64]] = [:]
        for name in ["Ann", "Ben", "Cat", "Dee"] {
            let id = try await fixture.account(name)
            try await fixture.join(clanID, id)
            var xp: Int64 = 1_000_000 + Int64(random.next() % 1_000_000)
            var series: [Int64] = []
            for day in 0..<30 {
                if day > 0, random.next() % 4 != 0 { xp += Int64(random.next() % 500_000) }
                series.append(xp)
                let at = instant("2026-06-01T18:00:00Z").addingTimeInterval(Double(day) * 86_400)
                try await fixture.snapshot(id, at: at, skills: [("Overall", 500, xp * 2), ("Attack", 80, xp)], activities: [("Zulrah", day == 0 ? -1 : 10 + day)])
            }
            values[name] = series
        }
        return (fixture, clanID, values)
    }

    /// The best gain of each member over periods given as ranges of day indexes, best first (ties by name).
    static func expected(_ values: [String: [Int64]], periods: [Range<Int>]) -> [(String, Int64)] {
        var best: [(String, Int64)] = []
        for (name, series) in values {
            var top: Int64 = 0
            for period in periods {
                let baseline = period.lowerBound == 0 ? series[0] : series[period.lowerBound - 1]
                top = max(top, series[period.upperBound - 1] - baseline)
            }
            if top > 0 { best.append((name, top)) }
        }
        return best.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
    }

    @Test(arguments: TestDatabaseBackend.all) func bestDaysWeeksAndMonthsRankedAsComputedFromTheSnapshots(_ backend: TestDatabaseBackend) async throws {
        let (fixture, clanID, values) = try await Self.month(backend)
        defer { fixture.remove() }
        let service = RecordsService(store: fixture.store, clock: { instant("2026-07-01T00:00:00Z") })
        let records = try await service.records(clanID: clanID, metric: .skillXP(skill: "attack"))
        #expect(records.metric == .skillXP(skill: "Attack"))
        let days = (0..<30).map { $0..<($0 + 1) }
        let weeks = stride(from: 0, to: 30, by: 7).map { $0..<min(30, $0 + 7) }  // weeks from Monday 1 June
        func pairs(_ period: RecordPeriod) -> [String] { records.records(period).map { "\($0.name) \($0.value)" } }
        func strings(_ list: [(String, Int64)]) -> [String] { list.map { "\($0.0) \($0.1)" } }
        #expect(pairs(.day) == strings(Self.expected(values, periods: days)))
        #expect(pairs(.week) == strings(Self.expected(values, periods: weeks)))
        #expect(pairs(.month) == strings(Self.expected(values, periods: [0..<30])))
        // Each record says when: the best week of the leader starts on a Monday, 00:00 UTC.
        let week = try #require(records.records(.week).first)
        let mondays = (0..<5).map { instant("2026-06-01T00:00:00Z").addingTimeInterval(Double($0) * 7 * 86_400) }
        #expect(mondays.contains(week.window.start))
        #expect(week.window.end.timeIntervalSince(week.window.start) == 7 * 86_400)
        #expect(records.records(.month).allSatisfy { $0.partial })  // June starts with their first snapshot

        // Zulrah was unranked on day 0 and 11 kills on day 1: estimated from the 5-kill minimum (11 - 4 = 7), the
        // biggest day for everyone.
        let zulrah = try await service.records(clanID: clanID, metric: .bossKC(boss: "Zulrah"))
        #expect(zulrah.records(.day).map(\.value) == [7, 7, 7, 7])
        #expect(zulrah.records(.day).allSatisfy { $0.estimated })
    }

    @Test(arguments: TestDatabaseBackend.all) func aWarmReadIsTheSameAndANewSnapshotIsSeen(_ backend: TestDatabaseBackend) async throws {
        let (fixture, clanID, _) = try await Self.month(backend)
        defer { fixture.remove() }
        let service = RecordsService(store: fixture.store)
        let cold = try await service.records(clanID: clanID, metric: .xpGained)
        let warm = try await service.records(clanID: clanID, metric: .xpGained)
        #expect(cold == warm)
        // Ann gains 50m on 1 July: a new best day, week and month for her.
        let ann = try await fixture.account("Ann")
        try await fixture.snapshot(ann, at: instant("2026-07-01T18:00:00Z"), skills: [("Overall", 600, 200_000_000), ("Attack", 99, 20_000_000)])
        let fresh = try await service.records(clanID: clanID, metric: .xpGained)
        #expect(fresh.records(.day).first?.name == "Ann")
        await #expect(throws: UnknownMetricRow.self) { _ = try await service.records(clanID: clanID, metric: .bossKC(boss: "Nobody Kills This")) }
    }
}
