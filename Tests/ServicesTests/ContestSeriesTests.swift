import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// Recurring contests: a weekly series run by two processes over one database file (two `Store`s, two services,
/// two contest loops on one `ManualClock`). Each edition is made, activated, ended and announced exactly once;
/// a paused series makes nothing; a stopped one keeps its editions.
@Suite(.databaseTests) struct ContestSeriesTests {
    /// One "process": its own connection to the file, its own service, events and contest loop.
    struct Process {
        let store: Store
        let service: ContestService
        let log: EventRecorder
    }

    static func process(path: String, clock: ManualClock, relay: FakeDrandRelay) async throws -> Process {
        let store = try await Store(path: path)
        let log = EventRecorder()
        let service = ContestService(
            store: store, http: try HTTPClient(), drandBase: relay.baseURL,
            configuration: .init(beaconMarginSeconds: 900, drandPublicKey: FakeDrandRelay.publicKey),
            clock: clock.dateSource, events: log.events)
        return Process(store: store, service: service, log: log)
    }

    @Test(arguments: TestDatabaseBackend.all) func aWeeklySeriesAcrossDaylightSavingIsRunOnceByTwoProcesses(_ backend: TestDatabaseBackend) async throws {
        let base = try await ServicesFixture(backend)
        defer { base.remove() }
        let relay = try FakeDrandRelay()
        defer { relay.stop() }
        let clock = ManualClock(start: instant("2026-10-10T00:00:00Z"))
        let clanID = try await base.clan("Iron Legion", timeZone: "Europe/London")
        // One member gains 52,345 Slayer xp during the first edition: 5 points at 1 point per 10,000.
        let zezima = try await base.account("Zezima")
        try await base.join(clanID, zezima)
        try await base.snapshot(zezima, at: instant("2026-10-12T12:00:00Z"), skills: [("Overall", 1500, 50_000_000), ("Slayer", 90, 1_000_000)])
        try await base.snapshot(zezima, at: instant("2026-10-18T12:00:00Z"), skills: [("Overall", 1500, 50_052_345), ("Slayer", 90, 1_052_345)])
        let one = try await Self.process(path: base.path, clock: clock, relay: relay)
        let two = try await Self.process(path: base.path, clock: clock, relay: relay)

        // Skill of the Week: Mondays 18:00 London time, six days, rotating Slayer → Fishing → Agility.
        let created = try await one.service.createSeries(ContestSeriesTemplate(
            clanID: clanID, name: "Skill of the Week", kind: .ranked, ruleKind: .skillXP, metrics: ["Slayer", "Fishing", "Agility"],
            threshold: 10_000, weight: 1, winners: 3, prize: "5m", firstStart: instant("2026-10-12T17:00:00Z"), durationDays: 6))
        #expect(created.nextStart == instant("2026-10-12T17:00:00Z"))
        #expect(created.nextMetric == "Slayer")

        let lines = LockedValue<[String]>([])
        let loops = [one, two].map { process in
            Task { await process.service.runLoop(clock: clock) { line in lines.withLock { $0.append(line) } } }
        }
        // London is on summer time (UTC+1) until 25 October, then UTC: 18:00 local is 17:00Z, 17:00Z, then 18:00Z.
        let expected: [(start: String, end: String, metric: String)] = [
            ("2026-10-12T17:00:00Z", "2026-10-18T17:00:00Z", "Slayer"),
            ("2026-10-19T17:00:00Z", "2026-10-25T18:00:00Z", "Fishing"),
            ("2026-10-26T18:00:00Z", "2026-11-01T18:00:00Z", "Agility"),
        ]
        // Nothing is made before the hour ahead of the start.
        await clock.advanceAndWait(to: instant("2026-10-12T15:59:00Z"), loops: 2)
        #expect(try await one.service.list(clanID: clanID).isEmpty)

        for (index, edition) in expected.enumerated() {
            let start = instant(edition.start)
            await clock.advanceAndWait(to: start.addingTimeInterval(-3600 + 1), loops: 2)
            let contests = try await one.service.list(clanID: clanID)
            #expect(contests.count == index + 1, "edition \(index + 1): \(contests.map(\.name))")
            let contest = try #require(contests.first { $0.name == "Skill of the Week #\(index + 1): \(edition.metric)" })
            #expect(contest.status == .active)
            #expect(contest.startAt == start && contest.endAt == instant(edition.end))
            #expect(contest.kind == .ranked && contest.winnersCount == 3 && contest.prize == "5m")
            #expect(contest.rules.map(\.targets) == [[edition.metric]] && contest.rules.first?.threshold == 10_000)
            #expect(contest.commitment != nil)
            // A pass repeated by either process does not make it again.
            await clock.advanceAndWait(by: .seconds(30), loops: 2)
            #expect(try await two.service.list(clanID: clanID).count == index + 1)

            await clock.advanceAndWait(to: instant(edition.end).addingTimeInterval(1), loops: 2)
            #expect(try await one.service.detail(contestID: contest.id).contest.status == .ended)
        }

        // Each edition activated and ended once across the two processes, each step announced by the process that did it;
        // the first (the only one anybody scored in) ranked by the bot once its beacon round was out.
        let events = await one.log.contestEvents + two.log.contestEvents
        #expect(events.filter { $0 == "contest.activated" }.count == 3, "\(events)")
        #expect(events.filter { $0 == "contest.ended" }.count == 3, "\(events)")
        #expect(events.filter { $0 == "contest.drawn" }.count == 1, "\(events)")
        let first = try #require(try await one.service.list(clanID: clanID).first { $0.name.hasPrefix("Skill of the Week #1") })
        let ranked = try await two.service.detail(contestID: first.id)
        #expect(ranked.contest.status == .drawn)
        #expect(ranked.ranking?.winners.map(\.name) == ["zezima"] && ranked.ranking?.winners.first?.score == 5)
        let editions = try await base.store.read { db in try db.contestSeries.editions(seriesID: created.series.id) }
        #expect(editions.map(\.edition) == [1, 2, 3] && editions.map(\.slot) == [0, 1, 2])

        // Paused: the fourth week passes without an edition.
        _ = try await two.service.setSeriesStatus(clanID: clanID, name: "skill of the week", .paused)
        await clock.advanceAndWait(to: instant("2026-11-02T17:30:00Z"), loops: 2)
        await clock.advanceAndWait(to: instant("2026-11-08T18:00:01Z"), loops: 2)
        #expect(try await one.service.list(clanID: clanID).count == 3)
        let paused = try #require(try await one.service.series(clanID: clanID).first)
        #expect(paused.series.status == .paused)
        #expect(paused.nextStart == instant("2026-11-09T18:00:00Z") && paused.nextEdition == 4 && paused.nextMetric == "Slayer")

        // Resumed: the rotation goes on where it stopped (edition 4 is Slayer again), on the next slot.
        _ = try await one.service.setSeriesStatus(clanID: clanID, name: "Skill of the Week", .running)
        await clock.advanceAndWait(to: instant("2026-11-09T17:00:01Z"), loops: 2)
        let fourth = try #require(try await one.service.list(clanID: clanID).first { $0.name == "Skill of the Week #4: Slayer" })
        #expect(fourth.startAt == instant("2026-11-09T18:00:00Z") && fourth.status == .active)

        // Stopped: the running edition still ends; nothing new is made; past editions stay.
        let stopped = try await two.service.setSeriesStatus(clanID: clanID, name: "Skill of the Week", .stopped)
        #expect(stopped.nextStart == nil)
        await clock.advanceAndWait(to: instant("2026-11-15T18:00:01Z"), loops: 2)
        await clock.advanceAndWait(to: instant("2026-11-16T17:30:00Z"), loops: 2)
        let all = try await one.service.list(clanID: clanID)
        #expect(all.count == 4 && all.filter { $0.status == .ended }.count == 3, "\(all.map { ($0.name, $0.status) })")
        await #expect(throws: ContestServiceError.self) {
            try await one.service.setSeriesStatus(clanID: clanID, name: "Skill of the Week", .running)
        }
        for loop in loops { loop.cancel() }
        for loop in loops { await loop.value }
        let finalEvents = await one.log.contestEvents + two.log.contestEvents
        #expect(finalEvents.filter { $0 == "contest.activated" }.count == 4 && finalEvents.filter { $0 == "contest.ended" }.count == 4)
        #expect(finalEvents.filter { $0 == "contest.drawn" }.count == 1)
        #expect(lines.value.filter { $0.contains("series #\(created.series.id): edition") }.count == 4, "\(lines.value)")
    }

    @Test(arguments: TestDatabaseBackend.all) func twoServicesRacingForTheSameEditionMakeOneContest(_ backend: TestDatabaseBackend) async throws {
        let base = try await ServicesFixture(backend)
        defer { base.remove() }
        let relay = try FakeDrandRelay()
        defer { relay.stop() }
        let clock = ManualClock(start: instant("2026-10-12T16:30:00Z"))
        let clanID = try await base.clan("Iron Legion")
        var processes: [Process] = []
        for _ in 0..<4 { processes.append(try await Self.process(path: base.path, clock: clock, relay: relay)) }
        _ = try await processes[0].service.createSeries(ContestSeriesTemplate(
            clanID: clanID, name: "Boss of the Week", kind: .ranked, ruleKind: .bossKC, metrics: ["Zulrah", "Vorkath"],
            firstStart: instant("2026-10-12T17:00:00Z")))
        let outcomes = try await withThrowingTaskGroup(of: [ContestSeriesOutcome].self) { group in
            for process in processes { group.addTask { try await process.service.openDueEditions() } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.count == 1, "\(outcomes)")
        let contests = try await processes[1].service.list(clanID: clanID)
        #expect(contests.map(\.name) == ["Boss of the Week #1: Zulrah"])
        var activated = 0
        for process in processes { activated += await process.log.contestEvents.count }
        #expect(activated == 1)
    }

    @Test(arguments: TestDatabaseBackend.all) func aTemplateThatCannotMakeAValidEditionIsRefused(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        let start = ContestFixture.start
        await #expect(throws: ContestServiceError.self) {  // a teams series without a team count
            try await fixture.service.createSeries(ContestSeriesTemplate(clanID: fixture.clanID, name: "Wars", kind: .teams, ruleKind: .skillXP,
                                                                         metrics: ["Slayer"], firstStart: start))
        }
        await #expect(throws: ContestServiceError.self) {  // an edition longer than the cadence
            try await fixture.service.createSeries(ContestSeriesTemplate(clanID: fixture.clanID, name: "Long", kind: .ranked, ruleKind: .skillXP,
                                                                         metrics: ["Slayer"], firstStart: start, durationDays: 8))
        }
        await #expect(throws: ContestServiceError.self) {  // total xp takes no metric
            try await fixture.service.createSeries(ContestSeriesTemplate(clanID: fixture.clanID, name: "Xp", kind: .ranked, ruleKind: .totalXP,
                                                                         metrics: ["Slayer"], firstStart: start))
        }
        _ = try await fixture.service.createSeries(ContestSeriesTemplate(clanID: fixture.clanID, name: "Xp", kind: .ranked, ruleKind: .totalXP,
                                                                         metrics: [], firstStart: start))
        await #expect(throws: ContestServiceError.self) {  // the same name twice
            try await fixture.service.createSeries(ContestSeriesTemplate(clanID: fixture.clanID, name: "XP", kind: .ranked, ruleKind: .totalXP,
                                                                         metrics: [], firstStart: start))
        }
    }
}
