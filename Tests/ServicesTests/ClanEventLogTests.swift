import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// The clan events log (issue 15): an event posted on one process is delivered by exactly one process, once; on
/// PostgreSQL a NOTIFY wakes the others; a claim whose process died is taken over after the timeout; an event no
/// build can read is skipped with a log line; a restart delivers what was recorded and never delivered.
/// Each "process" is a `ClanEvents.logged` over a `Store` of its own on one database, timed by a `ManualClock`.
@Suite(.databaseTests) struct ClanEventLogTests {
    /// Records every event it is handed, in order, and lets a test await them one by one.
    struct Recorder: ClanEventSubscriber {
        let received = LockedValue<[String]>([])
        /// Where each event goes as it arrives (one mailbox may serve several processes).
        let mailbox: AsyncMailbox<String>

        func handle(_ event: ClanEvent) async {
            let line = Self.describe(event)
            received.withLock { $0.append(line) }
            mailbox.send(line)
        }

        static func describe(_ event: ClanEvent) -> String {
            switch event {
            case .scheduleFailed(let failure): "\(failure.clanID):\(failure.reason)"
            default: "\(event.clanID):\(event.name)"
            }
        }
    }

    /// One process: its store, its events (posting and delivering) and its recording announcer.
    final class Process: Sendable {
        let store: Store
        let events: ClanEvents
        let log: ClanEventLog
        let feed: ClanEventFeed
        let recorder: Recorder
        let logs = LockedValue<[String]>([])
        let delivery = LockedValue<Task<Void, Never>?>(nil)

        init(_ path: String, owner: String, clock: ManualClock, mailbox: AsyncMailbox<String> = AsyncMailbox()) async throws {
            recorder = Recorder(mailbox: mailbox)
            store = try await Store(path: path)
            var timing = ClanEventLog.Timing()
            timing.reconnectAfter = .milliseconds(20)
            let logs = logs
            (events, feed) = ClanEvents.logged(store: store, owner: owner, clock: clock, timing: timing) { line in
                logs.withLock { $0.append(line) }
            }
            guard case .log(let log) = events.backing else { throw ClanEventLogTestError.notLogged }
            self.log = log
        }

        /// Starts this process's delivery loop (as `clanbot run` does).
        func startDelivering() {
            let feed = feed
            let recorder = recorder
            delivery.withLock { $0 = Task { await feed.deliver(to: [recorder]) } }
        }

        /// Stops the loop after a last pass, and waits for it.
        func stop() async {
            events.finish()
            await delivery.value?.value
        }
    }

    enum ClanEventLogTestError: Error { case notLogged }

    /// An event's status and error, as stored.
    static func status(_ store: Store, id: Int64) async throws -> (status: String, error: String?)? {
        try await store.read { db in
            try db.queryFirst("SELECT status, error FROM clan_events WHERE id = ?", [id]) { (try $0.string(0), try $0.get(1) as String?) }
        }
    }

    static func failure(_ clanID: Int64, _ reason: String) -> ClanEvent {
        .scheduleFailed(ScheduleFailure(clanID: clanID, slot: Date(epochMilliseconds: 1_000), reason: reason))
    }

    @Test(arguments: TestDatabaseBackend.all) func anEventPostedOnOneProcessIsDeliveredOnceByOneOfTwo(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clans = [try await fixture.clan("Iron Legion"), try await fixture.clan("Gielinor Guard")]
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let arrivals = AsyncMailbox<String>()
        let a = try await Process(fixture.path, owner: "a", clock: clock, mailbox: arrivals)
        let b = try await Process(fixture.path, owner: "b", clock: clock, mailbox: arrivals)
        a.startDelivering()
        b.startDelivering()

        for index in 0..<10 { await a.events.post(Self.failure(clans[index % 2], "slot \(index)")) }
        // Not `a.events.delivered()`: on SQLite, when B's first pass claimed one of them, A hears that B delivered it
        // only on its next periodic pass. Every event arrives without one, though: an event waiting behind another
        // process's claim is delivered by that process, which keeps claiming until nothing is left.
        for _ in 0..<10 { _ = await arrivals.next() }
        let byA = a.recorder.received.value
        let byB = b.recorder.received.value
        let all = byA + byB
        #expect(all.count == 10 && Set(all).count == 10, "a: \(byA), b: \(byB)")
        // Each clan's events reach each process's announcers in the order they were posted.
        for clanID in clans {
            for delivered in [byA, byB] {
                let numbers = delivered.filter { $0.hasPrefix("\(clanID):") }.compactMap { Int($0.split(separator: " ").last ?? "") }
                #expect(numbers == numbers.sorted(), "\(delivered)")
            }
        }

        // The periodic passes of both find nothing more to deliver, and A knows its events were delivered.
        await clock.advanceAndWait(by: .seconds(61), loops: 2)
        await a.events.delivered()
        #expect(a.recorder.received.value.count + b.recorder.received.value.count == 10)
        let open = try await fixture.store.read { db in
            try db.scalar("SELECT count(*) FROM clan_events WHERE status <> 'delivered'", as: Int.self)
        }
        #expect(open == 0)
        await a.stop()
        await b.stop()
    }

    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func onPostgresANotifyWakesTheOtherProcessWithoutAnyPass() async throws {
        let fixture = try await ServicesFixture(.postgres)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        // A posts and never delivers (a CLI command, or a process busy elsewhere); B only listens.
        let a = try await Process(fixture.path, owner: "a", clock: clock)
        let b = try await Process(fixture.path, owner: "b", clock: clock)
        b.startDelivering()
        await b.log.listening()

        for reason in ["first", "second", "third"] {
            await a.events.post(Self.failure(clanID, reason))
            #expect(await b.recorder.mailbox.next() == "\(clanID):\(reason)")
        }
        // The clock never moved: no periodic pass ran. After the first event (which LISTEN's start-up catch-up may
        // have found) nothing but a NOTIFY could wake B.
        #expect(b.log.passes == 0)
        #expect(b.log.notifications > 0)
        #expect(a.recorder.received.value.isEmpty)
        await b.stop()
    }

    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func aDroppedListenConnectionConnectsAgainAndCatchesUp() async throws {
        let fixture = try await ServicesFixture(.postgres)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let a = try await Process(fixture.path, owner: "a", clock: clock)
        let b = try await Process(fixture.path, owner: "b", clock: clock)
        b.startDelivering()
        await b.log.listening()

        // The server ends B's LISTEN session; an event is posted while B may not listen; B connects again and finds it.
        let ended = try await fixture.store.read { db in
            try db.scalar("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()
                """, as: Int.self)
        }
        #expect(ended == 1)
        await a.events.post(Self.failure(clanID, "while reconnecting"))
        #expect(await b.recorder.mailbox.next() == "\(clanID):while reconnecting")
        #expect(b.log.passes == 0)
        await b.stop()
    }

    @Test(arguments: TestDatabaseBackend.all) func anEventWhoseClaimerDiedIsTakenOverAfterTheTimeout(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let a = try await Process(fixture.path, owner: "a", clock: clock)
        await a.events.post(Self.failure(clanID, "orphaned"))
        // A claims it and dies before delivering it.
        let start = clock.date
        let claimed = try await a.store.write { db in
            try db.clanEvents.claimNext(owner: "a", now: start, expiredBefore: start.addingTimeInterval(-600))
        }
        #expect(claimed?.attempts == 1)

        let b = try await Process(fixture.path, owner: "b", clock: clock)
        b.startDelivering()
        // Within the timeout the claim holds: B's passes leave the event alone.
        await clock.advanceAndWait(by: .seconds(60))
        await clock.advanceAndWait(by: .seconds(480))
        #expect(b.log.passes == 2)
        #expect(b.recorder.received.value.isEmpty)
        // Past it (ten minutes after the claim), B's next pass takes it over and delivers it, once.
        await clock.advanceAndWait(by: .seconds(61))
        #expect(b.recorder.received.value == ["\(clanID):orphaned"])
        #expect(b.logs.value.contains { $0.contains("taken over") }, "\(b.logs.value)")
        let status = try await Self.status(fixture.store, id: claimed?.id ?? 0)
        #expect(status?.status == "delivered")
        // A, back too late, cannot mark it: it was taken over.
        let now = clock.date
        #expect(try await a.store.write { db in try db.clanEvents.markDelivered(id: claimed?.id ?? 0, owner: "a", now: now) } == false)
        await b.stop()
    }

    @Test(arguments: TestDatabaseBackend.all) func aClaimOfAProcessOfThisMachineThatIsGoneIsTakenOverAtOnce(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        // The process that claimed it ran on this machine, and its pid is gone (the bot before a restart).
        let gone = "\(BatchSnapshotService.machineName)/\(Int32.max)/deadbeef/events-x"
        let stopped = try await Process(fixture.path, owner: gone, clock: clock)
        await stopped.events.post(Self.failure(clanID, "claimed before the crash"))
        let start = clock.date
        _ = try await stopped.store.write { db in try db.clanEvents.claimNext(owner: gone, now: start, expiredBefore: start.addingTimeInterval(-600)) }

        let restarted = try await Process(fixture.path, owner: ClanEventLog.newOwner(), clock: clock)
        restarted.startDelivering()
        #expect(await restarted.recorder.mailbox.next() == "\(clanID):claimed before the crash")
        #expect(restarted.log.passes == 0, "no claim timeout waited for")
        #expect(restarted.logs.value.contains { $0.contains("no longer runs") }, "\(restarted.logs.value)")
        #expect(!ClanEventLog.isDeadLocalProcess(restarted.log.owner))
        #expect(!ClanEventLog.isDeadLocalProcess("other-host/1/abc/events-x"))
        await restarted.stop()
    }

    @Test(arguments: TestDatabaseBackend.all) func anEventNoBuildCanReadIsSkippedWithALogLineAndTheNextIsDelivered(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let now = clock.date
        let broken = try await fixture.store.write { db in
            [try db.clanEvents.record(clanID: clanID, kind: "garbage", payload: "not json", postedBy: "old", now: now),
             try db.clanEvents.record(clanID: clanID, kind: "future", payload: #"{"v":2,"type":"clan.activity","clan_id":1}"#, postedBy: "new", now: now),
             try db.clanEvents.record(clanID: clanID, kind: "unknown", payload: #"{"v":1,"type":"clan.party"}"#, postedBy: "old", now: now),
             try db.clanEvents.record(clanID: clanID, kind: "contest", payload: #"{"v":1,"type":"contest","contest_id":999,"step":"ended"}"#,
                                      postedBy: "old", now: now)]
        }
        let a = try await Process(fixture.path, owner: "a", clock: clock)
        await a.events.post(Self.failure(clanID, "readable"))
        a.startDelivering()
        await a.events.delivered()

        #expect(a.recorder.received.value == ["\(clanID):readable"])
        let skipped = a.logs.value.filter { $0.contains("skipped") }
        #expect(skipped.count == 4, "\(a.logs.value)")
        #expect(skipped.contains { $0.contains("newer build") })
        for id in broken {
            let status = try await Self.status(fixture.store, id: id)
            #expect(status?.status == "skipped" && status?.error != nil)
        }
        await a.stop()
    }

    @Test(arguments: TestDatabaseBackend.all) func aRestartDeliversEventsRecordedButNeverDelivered(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        // A process posts three events and stops before delivering any.
        do {
            let stopped = try await Process(fixture.path, owner: "before", clock: clock)
            for reason in ["one", "two", "three"] { await stopped.events.post(Self.failure(clanID, reason)) }
            try await stopped.store.close()
        }
        let restarted = try await Process(fixture.path, owner: "after", clock: clock)
        restarted.startDelivering()
        for reason in ["one", "two", "three"] {
            #expect(await restarted.recorder.mailbox.next() == "\(clanID):\(reason)")
        }
        #expect(restarted.log.passes == 0, "delivered by the loop's first pass, not the periodic one")
        await restarted.stop()
        #expect(restarted.recorder.received.value.count == 3)
    }

    @Test func eachEventKindSurvivesTheStoredForm() throws {
        let run = BatchRun(id: 7, clanID: 3, jobID: "job-7", status: .partial, mode: .board(.ironman), source: "schedule",
                           scheduledFor: Date(epochMilliseconds: 1_000), requestedBy: nil, owner: "host/1/x", heartbeatAt: Date(epochMilliseconds: 2_000),
                           queuedAt: Date(epochMilliseconds: 500), startedAt: Date(epochMilliseconds: 600), finishedAt: Date(epochMilliseconds: 9_000),
                           latencyMs: 42, memberCount: 10, succeededCount: 9, failedCount: 1, error: "one failed")
        let failure = ScheduleFailure(clanID: 3, slot: Date(epochMilliseconds: 86_400_000), reason: "no members", scheduleDisabled: true)
        let directory = try TemporaryDirectory("events")
        let db = try Database(path: directory.url.appendingPathComponent("db.sqlite").path)
        try Migrator().migrate(db)
        guard case .batchFinished(let decodedRun) = try ClanEventPayload.decode(ClanEventPayload.encode(.batchFinished(run)), in: db) else {
            Issue.record("not a batch")
            return
        }
        #expect(decodedRun == run)
        guard case .scheduleFailed(let decodedFailure) = try ClanEventPayload.decode(ClanEventPayload.encode(.scheduleFailed(failure)), in: db) else {
            Issue.record("not a schedule failure")
            return
        }
        #expect(decodedFailure == failure)
        guard case .activity(let clanID) = try ClanEventPayload.decode(ClanEventPayload.encode(.activity(clanID: 12)), in: db) else {
            Issue.record("not activity")
            return
        }
        #expect(clanID == 12)
        // The stored form is fixed: a later build reads exactly this.
        #expect(ClanEventPayload.encode(.activity(clanID: 12)) == #"{"clan_id":12,"type":"clan.activity","v":1}"#)
    }

    /// A contest step is stored as its contest and step, and read back after everything moved on (drawn): what is
    /// announced is what was published at that step.
    @Test(arguments: TestDatabaseBackend.all) func aContestStepReadBackIsWhatItPublished(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, _) = try await fixture.endedContest()
        _ = try await fixture.service.draw(contestID: id)
        let posted = await fixture.log.contestAnnouncements
        #expect(posted.count == 3)
        let at = Date(epochMilliseconds: 1_000)
        for announcement in posted {
            let payload = ClanEventPayload.encode(.contest(announcement))
            let event = try await fixture.store.read { db in try ClanEventPayload.decode(payload, in: db) }
            guard case .contest(let readBack) = event else {
                Issue.record("not a contest step: \(event)")
                continue
            }
            #expect(readBack.text == announcement.text)
            #expect(readBack.webhookMessage(clanName: "Legion", at: at) == announcement.webhookMessage(clanName: "Legion", at: at))
            if case .ended(let original) = announcement, case .ended(let again) = readBack {
                #expect(again.evaluation == original.evaluation && again.entryFile == original.entryFile)
            }
        }
    }
}
