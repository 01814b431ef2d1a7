import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// The whole clan is snapshotted shortly before an active contest's start and end, once per boundary, without
/// touching the schedule's daily cap, and waits politely when another batch of the clan is running.
@Suite(.databaseTests) struct ContestBoundarySnapshotsTests {
    /// The contest fixture (4 active members), its contest activated, and boundary snapshots on its clock.
    func setUp(_ backend: TestDatabaseBackend = .sqlite, members: Bool = true, activated: Bool = true) async throws
        -> (fixture: ContestFixture, contestID: Int64, batches: BatchSnapshotService, snapshots: ContestBoundarySnapshots) {
        let fixture = try await ContestFixture(backend, members: members)
        let id = try await fixture.draftWithRules()
        if activated { _ = try await fixture.service.activate(contestID: id) }
        let clock = fixture.clock
        let batches = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture.base, failing: [:]),
                                           clock: clock.dateSource, events: fixture.log.events)
        let snapshots = ContestBoundarySnapshots(store: fixture.store, batches: batches, requestsPerSecond: 2, clock: clock.dateSource)
        return (fixture, id, batches, snapshots)
    }

    @Test func theLeadIsTwiceTheFetchTimeAndNeverUnderFiveMinutes() {
        #expect(ContestBoundarySnapshots.lead(members: 4, requestsPerSecond: 2) == 300)
        #expect(ContestBoundarySnapshots.lead(members: 500, requestsPerSecond: 2) == 500)
        #expect(ContestBoundarySnapshots.lead(members: 500, requestsPerSecond: 0) == 10_000)  // a zero rate is not a crash
    }

    @Test(arguments: TestDatabaseBackend.all) func theFinalSnapshotStartsOnceWithinTheLeadBeforeTheEnd(_ backend: TestDatabaseBackend) async throws {
        let (fixture, id, batches, snapshots) = try await setUp(backend)
        defer { fixture.remove() }
        fixture.clock.set(ContestFixture.end.addingTimeInterval(-301))
        #expect(try await snapshots.startDue().isEmpty)

        fixture.clock.set(ContestFixture.end.addingTimeInterval(-299))
        let outcomes = try await snapshots.startDue()
        guard case .started(id, .end, let jobID, 4)? = outcomes.first, outcomes.count == 1 else {
            Issue.record("expected the final snapshot of 4 members to start, got \(outcomes)")
            return
        }
        // Asked again, while it runs and after: nothing more.
        #expect(try await snapshots.startDue().isEmpty)
        let status = try #require(try await batches.status(jobID: jobID))
        #expect(status.run.scheduledFor == ContestFixture.end)
        #expect(status.run.requestedBy == "contest #\(id) final snapshot")
        #expect(status.run.source == "manual")
        #expect(await fixture.log.batchFinished(jobID: jobID).status == .succeeded)
        #expect(try await snapshots.startDue().isEmpty)

        // Not the schedule's: its daily cap is untouched.
        let clanID = fixture.clanID
        let counted = try await fixture.store.read { db in
            try db.schedules.scheduledRunCount(clanID: clanID, from: ContestFixture.start, before: ContestFixture.afterEnd)
        }
        #expect(counted == 0)

        // Past the end, nothing starts (a snapshot after the end would not count).
        fixture.clock.set(ContestFixture.afterEnd)
        #expect(try await snapshots.startDue().isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func theBaselineSnapshotStartsBeforeTheStart(_ backend: TestDatabaseBackend) async throws {
        let (fixture, id, batches, snapshots) = try await setUp(backend)
        defer { fixture.remove() }
        fixture.clock.set(ContestFixture.start.addingTimeInterval(-60))
        let outcomes = try await snapshots.startDue()
        guard case .started(id, .start, let jobID, _)? = outcomes.first, outcomes.count == 1 else {
            Issue.record("expected the baseline snapshot to start, got \(outcomes)")
            return
        }
        #expect(try await batches.status(jobID: jobID)?.run.requestedBy == "contest #\(id) baseline snapshot")
        #expect(await fixture.log.batchFinished(jobID: jobID).status.isFinished)
    }

    @Test(arguments: [(members: true, activated: false), (members: false, activated: true)])
    func aDraftOrAClanWithoutMembersGetsNoSnapshots(members: Bool, activated: Bool) async throws {
        let (fixture, _, _, snapshots) = try await setUp(members: members, activated: activated)
        defer { fixture.remove() }
        fixture.clock.set(ContestFixture.end.addingTimeInterval(-60))
        #expect(try await snapshots.startDue().isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func itWaitsWhileAnotherBatchOfTheClanRunsThenStarts(_ backend: TestDatabaseBackend) async throws {
        let (fixture, id, _, snapshots) = try await setUp(backend)
        defer { fixture.remove() }
        fixture.clock.set(ContestFixture.end.addingTimeInterval(-120))
        let clanID = fixture.clanID
        let now = fixture.clock.date
        let busy = try await fixture.store.write { db in
            try #require(try db.batchRuns.create(clanID: clanID, jobID: "busybusybusybusy", mode: .auto, source: "manual",
                                                    scheduledFor: nil, requestedBy: "an officer", owner: "elsewhere/1/abc", now: now))
        }
        let waiting = try await snapshots.startDue()
        guard case .waiting(id, .end, let reason)? = waiting.first, waiting.count == 1 else {
            Issue.record("expected the final snapshot to wait, got \(waiting)")
            return
        }
        #expect(reason.contains("busybusybusybusy"))

        _ = try await fixture.store.write { db in try db.batchRuns.finish(batchID: busy.id, now: now) }
        let started = try await snapshots.startDue()
        guard case .started(id, .end, _, _)? = started.first else {
            Issue.record("expected the final snapshot to start once the other batch finished, got \(started)")
            return
        }
    }

    /// Two processes (each a service over a `Store` of its own, with its own owner) whose contest loops both see a
    /// boundary due at the same moment: its batch is created and run once, and the loser says nothing (not "waiting").
    @Test(arguments: TestDatabaseBackend.all) func twoProcessesSeeingABoundaryDueStartItsBatchOnce(_ backend: TestDatabaseBackend) async throws {
        let (fixture, id, _, one) = try await setUp(backend)
        defer { fixture.remove() }
        let otherLog = EventRecorder()
        let otherStore = try await Store(path: fixture.base.path)
        let otherBatches = BatchSnapshotService(store: otherStore, snapshotter: ScriptedSnapshotter(fixture: fixture.base, failing: [:]),
                                                owner: "elsewhere/2/two", clock: fixture.clock.dateSource, events: otherLog.events)
        let two = ContestBoundarySnapshots(store: otherStore, batches: otherBatches, requestsPerSecond: 2, clock: fixture.clock.dateSource)
        let clanID = fixture.clanID
        for (boundary, at) in [(ContestBoundarySnapshots.Boundary.start, ContestFixture.start), (.end, ContestFixture.end)] {
            fixture.clock.set(at.addingTimeInterval(-60))
            async let first = one.startDue()
            async let second = two.startDue()
            let outcomes = try await first + second
            guard case .started(id, boundary, let jobID, 4)? = outcomes.first, outcomes.count == 1 else {
                Issue.record("expected one \(boundary) batch started by one of the two processes, got \(outcomes)")
                return
            }
            // The process that started it runs it to the end.
            let owner = try #require(try await otherBatches.status(jobID: jobID)?.run.owner)
            #expect(await (owner == otherBatches.owner ? otherLog : fixture.log).batchFinished(jobID: jobID).status == .succeeded)
            let batches = try await otherStore.read { db in try db.batchRuns.recent(clanID: clanID, limit: 10) }
            #expect(batches.filter { $0.scheduledFor == at }.count == 1, "\(batches)")
            // Later passes of either process start nothing more.
            #expect(try await one.startDue().isEmpty)
            #expect(try await two.startDue().isEmpty)
        }
        try await otherStore.close()
    }

    @Test(arguments: TestDatabaseBackend.all) func theLoopLogsTheBoundarySnapshots(_ backend: TestDatabaseBackend) async throws {
        let (fixture, id, _, snapshots) = try await setUp(backend)
        defer { fixture.remove() }
        fixture.clock.set(ContestFixture.end.addingTimeInterval(-60))
        let lines = LockedValue<[String]>([])
        let service = fixture.service
        let clock = fixture.clock
        let loop = Task { await service.runLoop(snapshots: snapshots, pollEvery: .seconds(10), clock: clock) { line in lines.withLock { $0.append(line) } } }
        await clock.waitForSleepers(1)  // the first pass
        #expect(lines.value.contains { $0.hasPrefix("contest #\(id): final snapshot of 4 members started (job ") })
        for _ in 1...3 { await clock.advanceAndWait(by: .seconds(10)) }  // later passes start no other
        loop.cancel()
        await loop.value
        #expect(lines.value.count == 1, "\(lines.value)")
    }
}
