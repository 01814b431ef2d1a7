import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// One batch's member fetches drained by several processes (issue 15): each process claims members in the
/// database and fetches them with its own snapshotter (its own hiscores budget); none is fetched twice, and a
/// claim left by a process that stopped is taken over once it expires. On SQLite and on the test PostgreSQL.
@Suite(.databaseTests) struct SharedBatchQueueTests {
    /// Counts each member it fetched; waits at `gate` (when given) after saying it `started`.
    final class CountingSnapshotter: MemberSnapshotting, Sendable {
        let fixture: ServicesFixture
        let fetched = LockedValue<[Int64]>([])
        let started = Latch()
        let gate: Latch?

        init(_ fixture: ServicesFixture, gate: Latch? = nil) {
            self.fixture = fixture
            self.gate = gate
        }

        func snapshotMember(accountID: Int64, displayName: String, board: HiscoresBoard?) async throws -> MemberSnapshotResult {
            await started.open()
            if let gate { await gate.wait() }
            fetched.withLock { $0.append(accountID) }
            let id = try await fixture.snapshot(accountID, at: Date(), skills: [("Overall", 100, 1_000)])
            return MemberSnapshotResult(snapshotID: id, latencyMs: 3)
        }
    }

    /// Opens once; everyone waiting (then or later) goes on.
    actor Latch {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func open() {
            isOpen = true
            for waiter in waiters { waiter.resume() }
            waiters.removeAll()
        }

        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    func clan(_ fixture: ServicesFixture, members: Int, name: String = "Shared Queue") async throws -> Int64 {
        let clanID = try await fixture.clan(name)
        for index in 0..<members { try await fixture.join(clanID, try await fixture.account("Member \(index + 1)")) }
        return clanID
    }

    @Test(arguments: TestDatabaseBackend.all) func twoProcessesDrainOneBatchAndNoMemberIsFetchedTwice(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: 12)
        let gate = Latch()
        let ownerFetches = CountingSnapshotter(fixture, gate: gate)
        let helperFetches = CountingSnapshotter(fixture)
        let owner = BatchSnapshotService(store: fixture.store, snapshotter: ownerFetches, concurrency: 1, owner: "one")
        let helper = BatchSnapshotService(store: try await Store(path: fixture.path), snapshotter: helperFetches, concurrency: 2, owner: "two")

        let handle = try await owner.start(clanID: clanID)
        await ownerFetches.started.wait()  // the owner holds its first member
        let helped = try await helper.helpOtherBatches()
        #expect(helped.map(\.fetched) == [11])
        await gate.open()
        let run = try await handle.result()

        #expect(run.status == .succeeded && run.succeededCount == 12)
        let all = ownerFetches.fetched.value + helperFetches.fetched.value
        #expect(all.count == 12 && Set(all).count == 12, "\(all)")
        #expect(ownerFetches.fetched.value.count == 1)
        // Nothing is left to help with.
        #expect(try await helper.helpOtherBatches().isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func aClaimLeftByAStoppedProcessIsTakenOverOnceItExpires(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: 4)
        let clock = ManualClock(start: instant("2026-06-01T12:00:00Z"))
        let gate = Latch()
        let fetches = CountingSnapshotter(fixture, gate: gate)
        let owner = BatchSnapshotService(store: fixture.store, snapshotter: fetches, concurrency: 1, owner: "one", clock: clock.dateSource,
                                         queue: BatchMemberQueue(claimTimeout: 300, pollEvery: .seconds(5), clock: clock))
        let handle = try await owner.start(clanID: clanID)
        await fetches.started.wait()
        // Another process claims the next member and stops before recording it.
        let now = clock.date
        let lost = try await fixture.store.write { db in
            try db.batchRuns.claimNextMember(batchID: handle.batchID, owner: "gone", now: now, expiredBefore: now.addingTimeInterval(-300))
        }
        guard case .claimed(let lostID, _) = lost else {
            Issue.record("expected a member to claim, got \(lost)")
            return
        }
        await gate.open()
        // The owner fetches the rest, then waits while the other claim is fresh…
        await clock.waitForSleepers(1)
        #expect(!fetches.fetched.value.contains(lostID))
        // …and takes it over once it is older than the timeout.
        clock.advance(by: .seconds(305))
        let run = try await handle.result()
        #expect(run.status == .succeeded && run.succeededCount == 4)
        #expect(fetches.fetched.value.sorted() == fetches.fetched.value.sorted().uniqued())
        #expect(fetches.fetched.value.filter { $0 == lostID }.count == 1)
    }

    /// A claim held by a process on this machine whose pid is gone is taken over on the owner's next look, not after
    /// the claim timeout.
    @Test(arguments: TestDatabaseBackend.all) func aClaimOfAProcessGoneFromThisMachineIsTakenOverAtOnce(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: 4)
        let exited = try await ChildProcess.run(["true"])  // a pid of this machine that no longer runs
        let gone = "\(BatchSnapshotService.machineName)/\(exited.processIdentifier)/gone"
        let clock = ManualClock(start: instant("2026-06-01T12:00:00Z"))
        let gate = Latch()
        let fetches = CountingSnapshotter(fixture, gate: gate)
        let owner = BatchSnapshotService(store: fixture.store, snapshotter: fetches, concurrency: 1, owner: "one", clock: clock.dateSource,
                                         queue: BatchMemberQueue(claimTimeout: 300, pollEvery: .seconds(5), clock: clock))
        let handle = try await owner.start(clanID: clanID)
        await fetches.started.wait()
        let now = clock.date
        let lost = try await fixture.store.write { db in
            try db.batchRuns.claimNextMember(batchID: handle.batchID, owner: gone, now: now, expiredBefore: now.addingTimeInterval(-300))
        }
        guard case .claimed(let lostID, _) = lost else {
            Issue.record("expected a member to claim, got \(lost)")
            return
        }
        await gate.open()
        await clock.waitForSleepers(1)  // the owner fetched the rest and looks again in 5 s
        clock.advance(by: .seconds(5))
        let run = try await handle.result()
        #expect(run.status == .succeeded && run.succeededCount == 4)
        #expect(fetches.fetched.value.filter { $0 == lostID }.count == 1)
    }

    /// A process that stored a member's snapshot but stopped before recording it in the batch (two transactions):
    /// whoever takes the claim over records that snapshot instead of fetching the member again. Both ways a claim
    /// is taken over: a helper's claim that expired, and the members of an owner whose batch is taken over.
    @Test(arguments: TestDatabaseBackend.all) func aSnapshotStoredByAStoppedProcessIsRecordedNotFetchedAgain(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await clan(fixture, members: 4)
        let clock = ManualClock(start: instant("2026-06-01T12:00:00Z"))
        let fetches = CountingSnapshotter(fixture)
        let queue = BatchMemberQueue(claimTimeout: 300, pollEvery: .seconds(5), clock: clock)
        let start = clock.date
        // The owner ("gone") claims a member, stores its snapshot a moment later, and stops.
        let batch = try await fixture.store.write { db in
            try #require(try db.batchRuns.create(clanID: clanID, jobID: "stoppedstoppedst", mode: .auto, source: "manual", scheduledFor: nil,
                                                    requestedBy: nil, owner: "gone/1/x", now: start))
        }
        let claim = try await fixture.store.write { db in
            try db.batchRuns.claimNextMember(batchID: batch.id, owner: "gone/1/x", now: start, expiredBefore: start.addingTimeInterval(-300))
        }
        guard case .claimed(let storedID, _) = claim else {
            Issue.record("expected a member to claim, got \(claim)")
            return
        }
        let snapshotID = try await fixture.snapshot(storedID, at: start.addingTimeInterval(1), skills: [("Overall", 100, 1_000)])

        // Another process takes the abandoned batch over (its heartbeat is stale) and finishes it.
        clock.advance(by: .seconds(700))
        let other = BatchSnapshotService(store: try await Store(path: fixture.path), snapshotter: fetches, concurrency: 2, owner: "two",
                                         clock: clock.dateSource, queue: queue)
        guard case .resumed(let handle)? = try await other.recoverInterrupted().first else {
            Issue.record("expected the batch to be resumed")
            return
        }
        let run = try await handle.result()
        #expect(run.status == .succeeded && run.succeededCount == 4, "\(run)")
        #expect(!fetches.fetched.value.contains(storedID) && fetches.fetched.value.count == 3, "\(fetches.fetched.value)")
        let members = try #require(try await other.status(jobID: run.jobID)?.members)
        #expect(members.first { $0.accountID == storedID }?.snapshotID == snapshotID)

        // A helper's claim that expired, its snapshot stored: the owner records it once the claim is old.
        let second = try await clan(fixture, members: 0, name: "Second Queue")
        for index in 1...3 { try await fixture.join(second, try await fixture.account("Second \(index)")) }
        let gate = Latch()
        let ownerFetches = CountingSnapshotter(fixture, gate: gate)
        let owner = BatchSnapshotService(store: fixture.store, snapshotter: ownerFetches, concurrency: 1, owner: "one", clock: clock.dateSource,
                                         queue: queue)
        let running = try await owner.start(clanID: second)
        await ownerFetches.started.wait()
        let now = clock.date
        let helperClaim = try await fixture.store.write { db in
            try db.batchRuns.claimNextMember(batchID: running.batchID, owner: "helper/2/y", now: now, expiredBefore: now.addingTimeInterval(-300))
        }
        guard case .claimed(let helperID, _) = helperClaim else {
            Issue.record("expected a member to claim, got \(helperClaim)")
            return
        }
        _ = try await fixture.snapshot(helperID, at: now, skills: [("Overall", 100, 1_000)])
        await gate.open()
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(305))
        let closed = try await running.result()
        #expect(closed.status == .succeeded && closed.succeededCount == 3, "\(closed)")
        #expect(!ownerFetches.fetched.value.contains(helperID) && ownerFetches.fetched.value.count == 2)
    }
}

private extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
