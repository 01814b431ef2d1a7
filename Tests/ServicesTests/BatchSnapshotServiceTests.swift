import DatabaseTestTraits
import Domain
import Foundation
@testable import Storage
import Testing
import TestSupport
@testable import Services

/// Stores a one-row snapshot for every member but those listed in `failing`, which fail with their kind.
struct ScriptedSnapshotter: MemberSnapshotting {
    struct Failure: BatchMemberError, CustomStringConvertible {
        let kind: String
        let latencyMs: Int? = 12
        var description: String { "scripted \(kind)" }
    }

    let fixture: ServicesFixture
    let failing: [String: String]
    let concurrent = ConcurrencyGauge()

    func snapshotMember(accountID: Int64, displayName: String, board: HiscoresBoard?) async throws -> MemberSnapshotResult {
        await concurrent.enter()
        defer { Task { await concurrent.leave() } }
        try await Task.sleep(for: .milliseconds(5))
        if let kind = failing[displayName] { throw Failure(kind: kind) }
        let id = try await fixture.snapshot(accountID, at: Date(), skills: [("Overall", 100, 1_000)])
        return MemberSnapshotResult(snapshotID: id, latencyMs: 7)
    }
}

/// Records the most fetches that were in flight at once.
actor ConcurrencyGauge {
    private(set) var current = 0
    private(set) var peak = 0
    func enter() { current += 1; peak = max(peak, current) }
    func leave() { current -= 1 }
}

/// Collects progress reports.
actor ProgressLog {
    private(set) var reports: [BatchProgress] = []
    func add(_ report: BatchProgress) { reports.append(report) }
}

@Suite(.databaseTests) struct BatchSnapshotServiceTests {
    func clan(_ fixture: ServicesFixture, members: [String]) async throws -> Int64 {
        let clanID = try await fixture.clan("Batch Clan")
        for name in members { try await fixture.join(clanID, try await fixture.account(name)) }
        return clanID
    }

    @Test(arguments: TestDatabaseBackend.all) func failingMembersMakeTheBatchPartialAndAreFlagged(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let names = (1...9).map { "Member \($0)" }
        let clanID = try await clan(fixture, members: names)
        let snapshotter = ScriptedSnapshotter(fixture: fixture, failing: ["Member 3": "not_found", "Member 7": "unavailable"])
        let service = BatchSnapshotService(store: fixture.store, snapshotter: snapshotter, concurrency: 3)
        let log = ProgressLog()
        let handle = try await service.start(clanID: clanID, requestedBy: "tester") { await log.add($0) }
        #expect(handle.memberCount == 9)
        #expect(handle.jobID.count == 16)
        let run = try await handle.result()
        #expect(run.status == .partial)
        #expect(run.succeededCount == 7)
        #expect(run.failedCount == 2)
        #expect(run.error == "2 of 9 members could not be fetched")
        #expect(run.finishedAt != nil && run.latencyMs != nil)
        let status = try await service.status(jobID: handle.jobID)
        let failed = status?.members.filter { $0.status == .failed } ?? []
        #expect(failed.map(\.displayName) == ["Member 3", "Member 7"])
        #expect(failed.map(\.errorKind) == ["not_found", "unavailable"])
        #expect(status?.members.filter { $0.status == .succeeded && $0.snapshotID != nil }.count == 7)
        let reports = await log.reports
        #expect(reports.count == 9)
        #expect(reports.map(\.finished) == Array(1...9))
        #expect(reports.filter { !$0.succeeded }.count == 2)
        #expect(await snapshotter.concurrent.peak <= 3)
    }

    @Test(arguments: TestDatabaseBackend.all) func allFailingIsFailedAndNoneFailingIsSucceeded(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: ["A", "B"])
        let failing = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: ["A": "x", "B": "x"]))
        #expect(try await failing.start(clanID: clanID).result().status == .failed)
        let fine = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]))
        let run = try await fine.start(clanID: clanID).result()
        #expect(run.status == .succeeded)
        #expect(run.error == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func finishingABatchDropsTheClansCachedAggregates(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: ["A"])
        _ = try await LeaderboardService(store: fixture.store).leaderboard(clanID: clanID, metric: .xpGained, timeframe: .last7Days)
        let cached = try await fixture.store.read { db in try db.scalar("SELECT count(*) FROM clan_leaderboards", as: Int.self) }
        #expect(cached == 1)
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]))
        _ = try await service.start(clanID: clanID).result()
        let after = try await fixture.store.read { db in try db.scalar("SELECT count(*) FROM clan_leaderboards", as: Int.self) }
        #expect(after == 0)
    }

    @Test(arguments: TestDatabaseBackend.all) func aSecondBatchOfTheSameClanWaitsForTheFirst(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: ["A", "B", "C"])
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]), concurrency: 1)
        let first = try await service.start(clanID: clanID)
        await #expect(throws: ServiceError.batchAlreadyRunning(jobID: first.jobID)) { _ = try await service.start(clanID: clanID) }
        _ = try await first.result()
        #expect(try await service.start(clanID: clanID).result().status == .succeeded)
    }

    @Test(arguments: TestDatabaseBackend.all) func anUnknownClanIsAClearError(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]))
        await #expect(throws: ServiceError.clanNotFound("#42")) { _ = try await service.start(clanID: 42) }
    }

    /// Leaves a batch as a crashed process would: running, two members done, one mid-fetch, one queued.
    func interruptedBatch(_ fixture: ServicesFixture, startedAt: Date, owner: String = "old-host/1/dead") async throws -> (clanID: Int64, run: BatchRun) {
        let clanID = try await clan(fixture, members: ["Done1", "Done2", "Midway", "Waiting"])
        let run = try await fixture.store.write { db in
            let run = try db.batchRuns.create(clanID: clanID, jobID: "crashed-job", mode: .board(.regular), source: "manual",
                                                 scheduledFor: nil, requestedBy: nil, owner: owner, now: startedAt)
            let members = try db.batchRuns.unfinishedMembers(batchID: run?.id ?? 0)
            for member in members.prefix(2) {
                try db.execute("""
                    INSERT INTO snapshots (account_id, fetched_at, requested_mode, latency_ms, total_xp, total_level)
                    VALUES (?, ?, 'regular', 1, 1, 1)
                    """, [member.accountID, startedAt])
                try db.batchRuns.recordSuccess(batchID: run?.id ?? 0, accountID: member.accountID,
                                                  snapshotID: try db.lastInsertRowID, latencyMs: 5, now: startedAt)
            }
            try db.batchRuns.markRunning(batchID: run?.id ?? 0, accountID: members[2].accountID)
            return run
        }
        guard let run else { throw ServiceError.invalidRequest("fixture batch not created") }
        return (clanID, run)
    }

    @Test(arguments: TestDatabaseBackend.all) func aRecentInterruptedBatchIsResumedOnStart(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let crashTime = Date().addingTimeInterval(-1_200)
        let (_, crashed) = try await interruptedBatch(fixture, startedAt: crashTime)
        let snapshotter = ScriptedSnapshotter(fixture: fixture, failing: [:])
        let service = BatchSnapshotService(store: fixture.store, snapshotter: snapshotter, staleAfter: 600)
        let outcomes = try await service.recoverInterrupted(resumeWithin: 3_600)
        #expect(outcomes.count == 1)
        guard case .resumed(let handle) = outcomes.first else {
            Issue.record("expected a resumed batch, got \(outcomes)")
            return
        }
        #expect(handle.jobID == crashed.jobID)
        let run = try await handle.result()
        #expect(run.status == .succeeded)
        #expect(run.succeededCount == 4)
        #expect(run.owner == service.owner)
        // Nothing is left to recover.
        #expect(try await service.recoverInterrupted().isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func anOldInterruptedBatchIsClosedWithAReason(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let (_, crashed) = try await interruptedBatch(fixture, startedAt: Date().addingTimeInterval(-3 * 86_400))
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]))
        let outcomes = try await service.recoverInterrupted(resumeWithin: 3_600)
        guard case .closed(let run) = outcomes.first else {
            Issue.record("expected a closed batch, got \(outcomes)")
            return
        }
        #expect(run.jobID == crashed.jobID)
        #expect(run.status == .partial)
        #expect(run.error?.contains("closed on restart") == true)
        let members = try await service.status(jobID: crashed.jobID)?.members ?? []
        #expect(members.filter { $0.status == .skipped }.map(\.displayName) == ["Midway", "Waiting"])
        #expect(members.filter { $0.status == .skipped }.allSatisfy { $0.errorKind == "interrupted" })
    }

    @Test(arguments: TestDatabaseBackend.all) func aBatchOfAProcessOnThisMachineThatIsGoneIsResumedAtOnce(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        // A process of ours that has exited: its pid no longer exists.
        let finished = try await ChildProcess.run(["true"])
        let owner = "\(BatchSnapshotService.machineName)/\(finished.processIdentifier)/gone"
        _ = try await interruptedBatch(fixture, startedAt: Date().addingTimeInterval(-5), owner: owner)
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]), staleAfter: 600)
        let outcomes = try await service.recoverInterrupted()
        guard case .resumed(let handle) = outcomes.first else {
            Issue.record("expected the batch to be resumed at once, got \(outcomes)")
            return
        }
        #expect(try await handle.result().status == .succeeded)
    }

    @Test(arguments: TestDatabaseBackend.all) func whileRunningABatchAnotherMachineLeftIsTakenOverOnceItsHeartbeatIsStale(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clock = ManualClock(start: instant("2026-06-01T12:00:00Z"))
        let (_, crashed) = try await interruptedBatch(fixture, startedAt: clock.date.addingTimeInterval(-60))
        let recorder = EventRecorder()  // the batch of a process on another machine, which stopped a minute ago
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]),
                                           staleAfter: 600, clock: clock.dateSource, events: recorder.events)
        let lines = LockedValue<[String]>([])
        let watch = Task { await service.watchAbandoned(every: .seconds(30), clock: clock) { line in lines.withLock { $0.append(line) } } }

        // A member was recorded 90 s ago: its owner may still be at work, so the pass does not take the batch over.
        // It helps instead: the member nobody claimed is fetched here (the queue is shared); the one the owner was
        // fetching (claimed before claims were recorded) stays the owner's.
        await clock.advanceAndWait(by: .seconds(30))
        #expect(lines.value == ["batch \(crashed.jobID) of clan #\(crashed.clanID) (run by old-host/1/dead): helped with 1 member"])
        #expect(try await service.status(jobID: crashed.jobID)?.run.owner == "old-host/1/dead")
        // Ten minutes without a member recorded (the helper's was the last): the next pass takes it over and
        // finishes it, fetching only the member left.
        await clock.advanceAndWait(to: clock.date.addingTimeInterval(630))
        #expect(lines.value.last == "resumed interrupted batch \(crashed.jobID)")
        let finished = await recorder.batchFinished(jobID: crashed.jobID)
        #expect(finished.status == .succeeded && finished.succeededCount == 4)
        await clock.advanceAndWait(by: .seconds(30))
        watch.cancel()
        await watch.value
        #expect(lines.value.count == 2, "\(lines.value)")
    }

    @Test(arguments: TestDatabaseBackend.all) func aBatchWithAFreshHeartbeatIsLeftToItsOwner(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        _ = try await interruptedBatch(fixture, startedAt: Date().addingTimeInterval(-30))
        let service = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]), staleAfter: 600)
        #expect(try await service.recoverInterrupted().isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func twoProcessesRecoveringAtOnceTakeTheBatchOnce(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        _ = try await interruptedBatch(fixture, startedAt: Date().addingTimeInterval(-3 * 86_400))
        let first = BatchSnapshotService(store: fixture.store, snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]), owner: "one")
        let second = BatchSnapshotService(store: try await Store(path: fixture.path), snapshotter: ScriptedSnapshotter(fixture: fixture, failing: [:]), owner: "two")
        async let a = first.recoverInterrupted()
        async let b = second.recoverInterrupted()
        let total = try await a.count + b.count
        #expect(total == 1)
    }
}
