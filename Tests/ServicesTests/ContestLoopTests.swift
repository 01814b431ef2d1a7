import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// Contests end on their own once their end time has come: the entries are locked and published without an
/// officer, only for contests that are due, once, and with a clear word when it is too late to be fair.
@Suite(.databaseTests) struct ContestLoopTests {
    @Test(arguments: TestDatabaseBackend.all) func endsTheDueContestOnlyAndAnnouncesIt(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let due = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: due)
        // A second contest ending a day later, and a draft: neither is due.
        let later = try await fixture.service.create(ContestDraft(
            clanID: fixture.clanID, name: "Later raffle", startAt: ContestFixture.start,
            endAt: ContestFixture.end.addingTimeInterval(86_400)))
        _ = try await fixture.service.addRule(contestID: later.id, kind: .totalXP, targets: [], threshold: 1, title: "Any xp")
        _ = try await fixture.service.activate(contestID: later.id)
        let draft = try await fixture.draftWithRules()

        fixture.clock.set(ContestFixture.end.addingTimeInterval(-1))
        #expect(try await fixture.service.endDue().isEmpty)

        fixture.clock.set(ContestFixture.afterEnd)
        let outcomes = try await fixture.service.endDue()
        #expect(outcomes.count == 1)
        guard case .ended(let result)? = outcomes.first else {
            Issue.record("expected the due contest to end, got \(outcomes)")
            return
        }
        #expect(result.detail.contest.id == due)
        #expect(result.detail.contest.status == .ended)
        #expect(result.detail.contest.entries?.ticketCount == 5)  // Zezima 3 + B0aty 2, as ending by hand gives
        #expect(await fixture.log.contestEvents.last == "contest.ended")

        // Ended once: the next pass has nothing to do, and the others are untouched.
        #expect(try await fixture.service.endDue().isEmpty)
        #expect(try await fixture.service.detail(contestID: later.id).contest.status == .active)
        #expect(try await fixture.service.detail(contestID: draft).contest.status == .draft)
    }

    /// An active contest, the clock a second after its committed beacon round was published.
    func contestPastItsBeaconRound() async throws -> (ContestFixture, Int64) {
        let fixture = try await ContestFixture()
        let id = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: id)
        let published = try #require(try await fixture.service.detail(contestID: id).beaconPublishedAt)
        fixture.clock.set(published.addingTimeInterval(1))
        return (fixture, id)
    }

    @Test func aContestPastItsBeaconRoundIsReportedAndLeftForTheLeaderToCancel() async throws {
        let (fixture, id) = try await contestPastItsBeaconRound()
        defer { fixture.remove() }

        let outcomes = try await fixture.service.endDue()
        guard case .failed(let failedID, let name, let reason)? = outcomes.first, outcomes.count == 1 else {
            Issue.record("expected one failure, got \(outcomes)")
            return
        }
        #expect(failedID == id)
        #expect(name == "June slayer raffle")
        #expect(reason.contains("cancel"))
        #expect(try await fixture.service.detail(contestID: id).contest.status == .active)
        #expect(await fixture.log.contestEvents.contains("contest.ended") == false)
    }

    @Test(arguments: TestDatabaseBackend.all) func theLoopEndsAContestWhenItsTimeComesLogsItAndStopsWhenCancelled(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: id)
        let lines = LockedValue<[String]>([])
        let (service, clock) = (fixture.service, fixture.clock)
        let loop = Task { await service.runLoop(clock: clock) { line in lines.withLock { $0.append(line) } } }

        // Passes before the end leave it running.
        await clock.advanceAndWait(by: .seconds(30))
        #expect(try await fixture.service.detail(contestID: id).contest.status == .active)
        await clock.advanceAndWait(to: ContestFixture.afterEnd)
        #expect(try await service.detail(contestID: id).contest.status == .ended)
        #expect(lines.value.contains { $0.contains("contest #\(id) June slayer raffle ended: 5 tickets locked") })

        await clock.advanceAndWait(by: .seconds(30))
        loop.cancel()
        await loop.value
        #expect(lines.value.count == 1, "\(lines.value)")
    }

    @Test func theLoopReportsAContestItCannotEndOnlyOnce() async throws {
        let (fixture, _) = try await contestPastItsBeaconRound()
        defer { fixture.remove() }
        let lines = LockedValue<[String]>([])
        let (service, clock) = (fixture.service, fixture.clock)
        let loop = Task { await service.runLoop(pollEvery: .seconds(10), clock: clock) { line in lines.withLock { $0.append(line) } } }
        for _ in 1...5 { await clock.advanceAndWait(by: .seconds(10)) }  // the first pass and five more
        loop.cancel()
        await loop.value
        #expect(lines.value.count == 1, "\(lines.value)")
        #expect(lines.value.first?.contains("could not be ended") == true)
    }
}
