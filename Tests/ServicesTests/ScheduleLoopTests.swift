import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

@Suite(.databaseTests) struct ScheduleLoopTests {
    @Test(arguments: TestDatabaseBackend.all) func theLoopRunsDueSchedulesAndStopsWhenCancelled(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Loop Clan")
        for name in ["Kim", "Lee"] { try await fixture.join(clanID, try await fixture.account(name)) }
        let clock = ManualClock(start: instant("2026-03-01T11:59:00Z"))
        let recorder = EventRecorder()
        let batches = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]),
                                           clock: clock.dateSource, events: recorder.events)
        let service = ScheduleService(store: fixture.store, batches: batches, clock: clock.dateSource)
        _ = try await service.setSchedule(clanID: clanID, cron: "0 12 * * *")
        let loop = Task { await service.run(clock: clock) }

        // The first pass, at once: the schedule is not due yet.
        await clock.waitForSleepers(1)
        #expect(try await scheduledBatches(fixture).isEmpty)

        // Noon: the pass the clock wakes starts the scheduled batch.
        await clock.advanceAndWait(to: instant("2026-03-01T12:00:00Z"))
        let jobs = try await scheduledBatches(fixture)
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        #expect(await recorder.batchFinished(jobID: job).status == .succeeded)
        let schedule = try #require(try await service.schedule(clanID: clanID))
        #expect(schedule.lastRunStatus == .running || schedule.lastRunStatus == .succeeded)  // recorded once the batch's task notes it
        #expect(schedule.nextRunAt == instant("2026-03-02T12:00:00Z"))

        // Further passes start nothing more; cancelling stops the loop.
        await clock.advanceAndWait(by: .seconds(3600))
        loop.cancel()
        await loop.value
        #expect(try await scheduledBatches(fixture).count == 1)
    }

    /// The job ids of the batches schedules started.
    func scheduledBatches(_ fixture: ServicesFixture) async throws -> [String] {
        try await fixture.store.read { db in
            try db.query("SELECT job_id FROM clan_snapshots WHERE source = 'schedule'") { try $0.string(0) }
        }
    }
}

@Suite(.databaseTests) struct ClanServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func createFindAddAndRemove(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let service = ClanService(store: fixture.store)
        let clan = try await service.create(guildID: "42", name: "Iron Wolves", timeZone: "Europe/London")
        #expect(try await service.find("iron-wolves").id == clan.id)
        #expect(try await service.find("IRON WOLVES").id == clan.id)
        #expect(try await service.find("#\(clan.id)").id == clan.id)
        await #expect(throws: ServiceError.clanNotFound("Wolves")) { _ = try await service.find("Wolves") }
        _ = try await service.create(guildID: "43", name: "Iron Wolves")
        await #expect {
            _ = try await service.find("iron-wolves")
        } throws: { error in
            if case .ambiguousClan = error as? ServiceError { return true }
            return false
        }
        #expect(try await service.find("iron-wolves", guildID: "42").id == clan.id)

        let first = try await service.addMembers(clanID: clan.id, names: ["Alice", "bob_b"])
        #expect(first.added.map(\.account.displayName) == ["Alice", "bob_b"])
        let again = try await service.addMembers(clanID: clan.id, names: ["ALICE"])
        #expect(again.added.isEmpty && again.alreadyMembers == ["Alice"])
        await #expect(throws: ServiceError.self) { _ = try await service.addMembers(clanID: clan.id, names: ["ok", "not valid!!"]) }
        #expect(try await service.activeMembers(clanID: clan.id).count == 2)
        _ = try await service.removeMember(clanID: clan.id, name: "alice")
        #expect(try await service.activeMembers(clanID: clan.id).map(\.account.displayName) == ["bob_b"])
        let back = try await service.addMembers(clanID: clan.id, names: ["Alice"])
        #expect(back.added.count == 1)
        await #expect(throws: ServiceError.self) { _ = try await service.create(guildID: "42", name: "Zoned", timeZone: "Mars/Base") }
    }
}
