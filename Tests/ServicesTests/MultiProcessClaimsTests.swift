import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// Several `clanbot run` processes on one database (issue 15): each unit of work is done by exactly one of them.
/// Each "process" here is a service over a `Store` of its own (its own connection), racing the other one on the
/// same database, on SQLite and on the test PostgreSQL. Scheduled runs, batch takeover and series editions have
/// their own two-process tests (ScheduleServiceTests, BatchSnapshotServiceTests, ContestSeriesTests).
@Suite(.databaseTests) struct MultiProcessClaimsTests {
    @Test(arguments: TestDatabaseBackend.all) func aDueContestIsEndedByExactlyOneOfTwoProcesses(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: id)
        let otherLog = EventRecorder()
        let other = ContestService(
            store: try await Store(path: fixture.base.path), http: try HTTPClient(), drandBase: fixture.relay.baseURL,
            configuration: .init(beaconMarginSeconds: 900, drandPublicKey: FakeDrandRelay.publicKey),
            clock: fixture.clock.dateSource, events: otherLog.events)
        fixture.clock.set(ContestFixture.afterEnd)

        async let first = fixture.service.endDue()
        async let second = other.endDue()
        let outcomes = try await first + second
        let ended = outcomes.filter { outcome in
            if case .ended = outcome { return true }
            return false
        }
        #expect(ended.count == 1, "\(outcomes)")
        #expect(outcomes.count == 1, "the loser skips the contest without a word: \(outcomes)")
        let events = await fixture.log.contestEvents + otherLog.contestEvents
        #expect(events.filter { $0 == "contest.ended" }.count == 1)
        #expect(try await other.detail(contestID: id).contest.status == .ended)
    }

    @Test(arguments: TestDatabaseBackend.all) func eachQueuedPostIsClaimedByExactlyOneOfTwoProcesses(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Iron Legion")
        let one = AnnouncementService(store: fixture.store)
        let two = AnnouncementService(store: try await Store(path: fixture.path))
        _ = try await one.set(clanID: clanID, channelID: "500", kinds: "all", setBy: "1")
        let posts = (0..<12).map { AnnouncementService.Post(eventKey: "achievement:\($0)", kind: .achievement, payload: "{}") }
        #expect(try await one.enqueue(clanID: clanID, posts) == 12)
        // Queueing is idempotent across processes too: the other process hearing the same events adds nothing.
        #expect(try await two.enqueue(clanID: clanID, posts) == 0)

        // Both drain the same queue at once, as two announcers would: claim, and count what each won.
        let now = Date()
        async let wonByOne = Self.claimAll(one, clanID: clanID, now: now)
        async let wonByTwo = Self.claimAll(two, clanID: clanID, now: now)
        let (a, b) = try await (wonByOne, wonByTwo)
        #expect(a.isDisjoint(with: b))
        #expect(a.count + b.count == 12)

        // A post whose claimer stopped before marking it sent is never posted again by the other (at most once):
        // once its claim is old it is marked uncertain, and nothing is pending.
        #expect(try await two.abandonStaleClaims(before: now.addingTimeInterval(1)) == 12)
        #expect(try await one.pending(clanID: clanID).isEmpty)
    }

    static func claimAll(_ service: AnnouncementService, clanID: Int64, now: Date) async throws -> Set<Int64> {
        var won: Set<Int64> = []
        for item in try await service.pending(clanID: clanID) where try await service.claim(item, channelID: "500", now: now) {
            won.insert(item.id)
            await Task.yield()
        }
        return won
    }
}
