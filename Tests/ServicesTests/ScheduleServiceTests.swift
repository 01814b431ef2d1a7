import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

@Suite(.databaseTests) struct ScheduleServiceTests {
    struct Setup {
        let fixture: ServicesFixture
        let clanID: Int64
        let clock: ManualClock

        func services(store: Store? = nil, owner: String, events: ClanEvents = .unobserved) -> (ScheduleService, BatchSnapshotService) {
            let store = store ?? fixture.store
            let batches = BatchSnapshotService(store: store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]),
                                               owner: owner, clock: clock.dateSource)
            return (ScheduleService(store: store, batches: batches, owner: owner, clock: clock.dateSource, events: events), batches)
        }
    }

    func setup(_ backend: TestDatabaseBackend = .sqlite, timeZone: String = "Europe/London", at start: String) async throws -> Setup {
        let fixture = try await ServicesFixture(backend)
        let clanID = try await fixture.clan("Sched Clan", timeZone: timeZone)
        for name in ["Ann", "Ben"] { try await fixture.join(clanID, try await fixture.account(name)) }
        return Setup(fixture: fixture, clanID: clanID, clock: ManualClock(start: instant(start)))
    }

    @Test(arguments: TestDatabaseBackend.all) func savingComputesTheNextRunInTheClansZone(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let (service, _) = setup.services(owner: "p1")
        let saved = try await service.setSchedule(clanID: setup.clanID, cron: "0 18 * * *", maxDailyRuns: 1)
        #expect(saved.nextRunAt == instant("2026-07-10T17:00:00Z"))  // 18:00 BST
        #expect(saved.enabled)
    }

    @Test(arguments: TestDatabaseBackend.all) func disablingAndEnablingMovesTheNextRun(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let (service, _) = setup.services(owner: "p1")
        await #expect(throws: ServiceError.self) { _ = try await service.setEnabled(clanID: setup.clanID, true) }
        _ = try await service.setSchedule(clanID: setup.clanID, cron: "0 18 * * *")
        let off = try await service.setEnabled(clanID: setup.clanID, false)
        #expect(!off.enabled)
        setup.clock.set(instant("2026-07-10T19:00:00Z"))
        #expect(try await service.runDue().isEmpty)
        let on = try await service.setEnabled(clanID: setup.clanID, true)
        #expect(on.enabled && on.nextRunAt == instant("2026-07-11T17:00:00Z"))
    }

    @Test(arguments: TestDatabaseBackend.all) func badSchedulesAreRefusedWithTheReason(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let (service, _) = setup.services(owner: "p1")
        await #expect {
            _ = try await service.setSchedule(clanID: setup.clanID, cron: "0 18 * * *", maxDailyRuns: 3)
        } throws: { error in String(describing: error).contains("at most 2") }
        await #expect {
            _ = try await service.setSchedule(clanID: setup.clanID, cron: "0 25 * * *")
        } throws: { error in String(describing: error).contains("hour") }
        #expect(try await service.schedule(clanID: setup.clanID) == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func aDueScheduleRunsItsBatchAndRecordsTheOutcome(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let (service, _) = setup.services(owner: "p1")
        _ = try await service.setSchedule(clanID: setup.clanID, cron: "0 18 * * *", maxDailyRuns: 1)
        #expect(try await service.runDue().isEmpty)  // not due yet
        setup.clock.set(instant("2026-07-10T17:00:30Z"))
        let runs = try await service.runDue()
        #expect(runs.count == 1)
        guard case .started(let handle) = runs.first?.outcome else {
            Issue.record("expected a started batch")
            return
        }
        await runs.first?.wait()
        let run = try await handle.result()
        #expect(run.status == .succeeded)
        #expect(run.source == "schedule")
        #expect(run.scheduledFor == instant("2026-07-10T17:00:00Z"))
        let schedule = try await service.schedule(clanID: setup.clanID)
        #expect(schedule?.lastRunStatus == .succeeded)
        #expect(schedule?.lastClanSnapshotID == handle.batchID)
        #expect(schedule?.nextRunAt == instant("2026-07-11T17:00:00Z"))
        #expect(try await service.runDue().isEmpty)  // the same slot never runs twice
    }

    @Test(arguments: TestDatabaseBackend.all) func twoProcessesOnOneDatabaseClaimADueRunExactlyOnce(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let (first, _) = setup.services(owner: "process-one")
        let (second, _) = setup.services(store: try await Store(path: setup.fixture.path), owner: "process-two")
        _ = try await first.setSchedule(clanID: setup.clanID, cron: "*/30 * * * *", maxDailyRuns: 2)
        setup.clock.set(instant("2026-07-10T12:30:00Z"))
        async let a = first.runDue()
        async let b = second.runDue()
        let runs = try await a + b
        #expect(runs.count == 1)
        for run in runs { await run.wait() }
        let batches = try await setup.fixture.store.read { db in
            try db.scalar("SELECT count(*) FROM clan_snapshots WHERE source = 'schedule'", as: Int.self)
        }
        #expect(batches == 1)
    }

    @Test(arguments: TestDatabaseBackend.all) func theDailyCapSkipsTheRestOfTheLocalDay(_ backend: TestDatabaseBackend) async throws {
        // Every 6 hours in New York, at most 2 a day.
        let setup = try await setup(backend, timeZone: "America/New_York", at: "2026-01-05T04:59:00Z")
        defer { setup.fixture.remove() }
        let (service, _) = setup.services(owner: "p1")
        let saved = try await service.setSchedule(clanID: setup.clanID, cron: "0 */6 * * *", maxDailyRuns: 2)
        #expect(saved.nextRunAt == instant("2026-01-05T05:00:00Z"))  // 00:00 EST
        setup.clock.set(instant("2026-01-05T05:00:00Z"))
        for run in try await service.runDue() { await run.wait() }
        #expect(try await service.schedule(clanID: setup.clanID)?.nextRunAt == instant("2026-01-05T11:00:00Z"))
        setup.clock.set(instant("2026-01-05T11:00:00Z"))
        for run in try await service.runDue() { await run.wait() }
        // Two runs today: the 12:00 and 18:00 slots are skipped; next is midnight.
        #expect(try await service.schedule(clanID: setup.clanID)?.nextRunAt == instant("2026-01-06T05:00:00Z"))
    }

    @Test(arguments: TestDatabaseBackend.all) func anUnreadableStoredScheduleIsDisabledWithTheReason(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let recorder = EventRecorder()
        let (service, _) = setup.services(owner: "p1", events: recorder.events)
        _ = try await service.setSchedule(clanID: setup.clanID, cron: "0 18 * * *")
        // The clan's zone is changed behind the scheduler's back to a name it cannot read.
        try await setup.fixture.store.write { db in
            try db.execute("UPDATE clans SET timezone = 'Nowhere/Land' WHERE id = ?", [setup.clanID])
        }
        setup.clock.set(instant("2026-07-10T18:00:00Z"))
        let runs = try await service.runDue()
        for run in runs { await run.wait() }
        guard runs.count == 1, case .failed(let reason) = runs[0].outcome else {
            Issue.record("expected one failed run, got \(runs.map(\.outcome))")
            return
        }
        let schedule = try await service.schedule(clanID: setup.clanID)
        #expect(schedule?.enabled == false)
        #expect(schedule?.lastRunStatus == .failed)
        #expect(schedule?.lastError?.contains("Nowhere/Land") == true)
        #expect(await recorder.scheduleFailures == [ScheduleFailure(clanID: setup.clanID, slot: instant("2026-07-10T17:00:00Z"), reason: reason, scheduleDisabled: true)])
        #expect(try await service.runDue().isEmpty)
        #expect(await recorder.scheduleFailures.count == 1)  // reported once, not on every pass
    }

    @Test(arguments: TestDatabaseBackend.all) func aClanWithoutActiveMembersFailsItsSlotAndTheHandlerHearsOfIt(_ backend: TestDatabaseBackend) async throws {
        let setup = try await setup(backend, at: "2026-07-10T12:00:00Z")
        defer { setup.fixture.remove() }
        let empty = try await setup.fixture.clan("Empty Clan", timeZone: "Europe/London")
        try await setup.fixture.join(empty, try await setup.fixture.account("Left Already"), active: false)
        let recorder = EventRecorder()
        let (service, _) = setup.services(owner: "p1", events: recorder.events)
        _ = try await service.setSchedule(clanID: empty, cron: "0 18 * * *")
        setup.clock.set(instant("2026-07-10T17:00:10Z"))
        let runs = try await service.runDue()
        #expect(runs.count == 1)
        for run in runs { await run.wait() }
        let failures = await recorder.scheduleFailures
        guard case .failed(let reason) = runs.first?.outcome else {
            Issue.record("expected a failed run")
            return
        }
        #expect(reason.contains("Empty Clan has no active members"))
        #expect(failures.map(\.clanID) == [empty])
        #expect(failures.first?.slot == instant("2026-07-10T17:00:00Z"))
        #expect(failures.first?.reason == reason)
        #expect(failures.first?.scheduleDisabled == false)
        let schedule = try await service.schedule(clanID: empty)
        #expect(schedule?.lastRunStatus == .failed)
        #expect(schedule?.lastError == reason)
        #expect(schedule?.enabled == true)
        #expect(schedule?.nextRunAt == instant("2026-07-11T17:00:00Z"))
        let batches = try await setup.fixture.store.read { db in try db.scalar("SELECT count(*) FROM clan_snapshots", as: Int.self) }
        #expect(batches == 0)
    }
}
