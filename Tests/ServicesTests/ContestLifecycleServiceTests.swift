import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// Every refused step, and rule evaluation from stored snapshots.
@Suite(.databaseTests) struct ContestLifecycleServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func rulesChangeOnlyInDraft(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        let removed = try await fixture.service.removeRule(contestID: id, position: 2)
        #expect(removed.contest.rules.map(\.position) == [1])
        let readded = try await fixture.service.addRule(contestID: id, kind: .totalXP, threshold: 1_000_000, title: "A million")
        #expect(readded.contest.rules.map(\.position) == [1, 2])
        _ = try await fixture.service.activate(contestID: id)
        await #expect {
            _ = try await fixture.service.addRule(contestID: id, kind: .totalXP, threshold: 5, title: "Late")
        } throws: { error in
            guard case .wrongStatus(_, .active, [.draft])? = refusal(error) else { return false }
            return "\(error)".contains("cannot add a rule to a contest that is active")
        }
        await #expect { _ = try await fixture.service.removeRule(contestID: id, position: 1) } throws: { refusal($0) != nil }
        #expect(try await fixture.service.detail(contestID: id).contest.rules.count == 2)
    }

    @Test(arguments: TestDatabaseBackend.all) func aBadRuleIsRefusedWithTheReason(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        let draft = try await fixture.service.create(ContestDraft(clanID: fixture.clanID, name: "x", startAt: ContestFixture.start, endAt: ContestFixture.end))
        await #expect {
            _ = try await fixture.service.addRule(contestID: draft.id, kind: .skillXP, targets: [], threshold: 10, title: "No skill")
        } throws: { error in
            guard case .invalidRule(.missingTargets)? = error as? ContestServiceError else { return false }
            return true
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func storageRefusalsReachCallersAsServiceErrorsWithTheSameWords(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        await #expect(throws: ContestServiceError.unknownContest(999_999)) { _ = try await fixture.service.detail(contestID: 999_999) }
        await #expect {
            _ = try await fixture.service.cancel(contestID: 999_999, reason: "typo")
        } throws: { error in
            "\(error)" == "\(ContestStorageError.unknownContest(999_999))" && !(error is ContestStorageError)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aDraftIsCheckedWhenCreated(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        await #expect {
            _ = try await fixture.service.create(ContestDraft(clanID: fixture.clanID, name: "x", startAt: ContestFixture.end, endAt: ContestFixture.start))
        } throws: { refusal($0) == .invalidDraft("the contest must end after it starts") }
        await #expect {
            _ = try await fixture.service.create(ContestDraft(clanID: fixture.clanID, name: "x", startAt: ContestFixture.start, endAt: ContestFixture.end, winners: 0))
        } throws: { refusal($0) != nil }
        await #expect {
            _ = try await fixture.service.create(ContestDraft(clanID: 999, name: "x", startAt: ContestFixture.start, endAt: ContestFixture.end))
        } throws: { ($0 as? ServiceError) == .clanNotFound("#999") }
    }

    @Test(arguments: TestDatabaseBackend.all) func activationNeedsRulesAndAFutureEnd(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        let draft = try await fixture.service.create(ContestDraft(clanID: fixture.clanID, name: "Empty", startAt: ContestFixture.start, endAt: ContestFixture.end))
        await #expect { _ = try await fixture.service.activate(contestID: draft.id) } throws: { refusal($0) == .noRules }
        let id = try await fixture.draftWithRules()
        fixture.clock.set(ContestFixture.afterEnd)
        await #expect { _ = try await fixture.service.activate(contestID: id) } throws: { error in
            guard case .endInThePast? = refusal(error) else { return false }
            return true
        }
        #expect(try await fixture.store.read { db in try db.contests.secret(contestID: id) } == nil)
        fixture.clock.set(ContestFixture.created)
        _ = try await fixture.service.activate(contestID: id)
        await #expect { _ = try await fixture.service.activate(contestID: id) } throws: { error in
            guard case .wrongStatus(_, .active, _)? = refusal(error) else { return false }
            return true
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func endAndDrawAreRefusedAtTheWrongTime(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        await #expect { _ = try await fixture.service.end(contestID: id) } throws: { error in
            guard case .wrongStatus(_, .draft, [.active])? = refusal(error) else { return false }
            return true
        }
        _ = try await fixture.service.activate(contestID: id)
        fixture.clock.set(ContestFixture.end.addingTimeInterval(-1))
        await #expect { _ = try await fixture.service.end(contestID: id) } throws: { error in
            guard case .notYetOver? = refusal(error) else { return false }
            return true
        }
        await #expect { _ = try await fixture.service.draw(contestID: id) } throws: { error in
            guard case .wrongStatus(_, .active, [.ended])? = refusal(error) else { return false }
            return true
        }
        await #expect { _ = try await fixture.service.verify(contestID: id) } throws: { refusal($0) != nil }
        await #expect { _ = try await fixture.service.entriesFile(contestID: id) } throws: { refusal($0) != nil }
        #expect(fixture.relay.requests.isEmpty)
        // Past the committed round the entries can no longer be locked fairly.
        let round = try #require(try await fixture.service.detail(contestID: id).beaconPublishedAt)
        fixture.clock.set(round)
        await #expect { _ = try await fixture.service.end(contestID: id) } throws: { error in
            guard case .tooLateForEntries? = refusal(error) else { return false }
            return "\(error)".contains("cancel")
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aContestWithoutEntriesEndsAsSuchAndIsNeverDrawn(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let draft = try await fixture.service.create(ContestDraft(clanID: fixture.clanID, name: "Impossible", startAt: ContestFixture.start, endAt: ContestFixture.end))
        _ = try await fixture.service.addRule(contestID: draft.id, kind: .skillXP, targets: ["Slayer"], threshold: 50_000_000, title: "Too much")
        _ = try await fixture.service.activate(contestID: draft.id)
        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await fixture.service.end(contestID: draft.id)
        #expect(!ended.hasEntries)
        #expect(ended.entryFile.isEmpty)
        #expect(ended.detail.contest.entries == EntriesCommitment.none)
        #expect(await fixture.log.contestAnnouncements.last?.text.contains("ended without entries") == true)
        #expect(try await fixture.service.entriesFile(contestID: draft.id).isEmpty)
        fixture.clock.set(ContestFixture.end.addingTimeInterval(3600))
        await #expect { _ = try await fixture.service.draw(contestID: draft.id) } throws: { refusal($0) == .noEntries }
        #expect(fixture.relay.requests.isEmpty)
        // It can still be cancelled publicly.
        #expect(try await fixture.service.cancel(contestID: draft.id, reason: "nobody made it").status == .cancelled)
    }

    @Test(arguments: TestDatabaseBackend.all) func cancellationKeepsTheReasonAndIsRefusedAfterTheDraw(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let draft = try await fixture.draftWithRules()
        await #expect { _ = try await fixture.service.cancel(contestID: draft, reason: "   ") } throws: { refusal($0) == .emptyReason }
        let cancelled = try await fixture.service.cancel(contestID: draft, reason: "wrong dates")
        #expect(cancelled.contest.cancelReason == "wrong dates")
        #expect(try await fixture.service.list(clanID: fixture.clanID, status: .cancelled).map(\.id) == [draft])
        #expect(await fixture.log.contestEvents == ["cancelled"])

        let (id, _) = try await fixture.endedContest()
        _ = try await fixture.service.draw(contestID: id)
        await #expect { _ = try await fixture.service.cancel(contestID: id, reason: "changed my mind") } throws: { error in
            guard case .wrongStatus(_, .drawn, _)? = refusal(error) else { return false }
            return true
        }
        #expect(try await fixture.service.detail(contestID: id).status == .drawn)
    }

    @Test(arguments: TestDatabaseBackend.all) func standingsWhileActiveSayWhatIsMissing(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        await #expect { _ = try await fixture.service.standings(contestID: id) } throws: { refusal($0) != nil }
        _ = try await fixture.service.activate(contestID: id)
        fixture.clock.set(instant("2026-06-05T00:00:00Z"))
        let standings = try await fixture.service.standings(contestID: id)
        let byName = Dictionary(uniqueKeysWithValues: standings.evaluation.members.map { ($0.name, $0) })
        // Midway: Zezima has 100,000 of 120,000 Slayer xp and 30 of 50 kills; Lynx Titan 20,000.
        #expect(byName["Zezima"]?.progress.map(\.standing) == ["needs 20,000 more Slayer xp", "needs 20 more kills of Zulrah"])
        #expect(byName["Lynx Titan"]?.progress.first?.standing == "needs 100,000 more Slayer xp")
        #expect(byName["Settled"]?.exclusion == .noBaseline(firstSnapshotAt: instant("2026-06-02T00:00:00Z")))
        #expect(byName["Woox"]?.exclusion == .leftClan(at: instant("2026-06-05T00:00:00Z")))
        // B0aty has no snapshot since the start yet.
        #expect(byName["B0aty"]?.notes.contains("no snapshot since the start yet") == true)
    }

    @Test(arguments: TestDatabaseBackend.all) func theEndJudgesEachMemberOnTheirStoredSnapshots(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: id)
        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await fixture.service.end(contestID: id)
        let entries = try #require(ended.detail.entries)
        let byName = Dictionary(grouping: entries.entries, by: \.name)
        // Zezima: both rules, judged on the baseline and the last snapshot before the end (not the one after it).
        #expect(byName["Zezima"]?.map(\.rulePosition).sorted() == [1, 2])
        let slayer = try #require(byName["Zezima"]?.first { $0.rulePosition == 1 })
        #expect(slayer.proof.value == 200_000)
        #expect(slayer.entryCount == 2)
        #expect(slayer.proofJSON.contains("\"start_snapshot_id\""))
        let snapshotIDs = try await fixture.store.read { db in
            try db.query("SELECT s.id FROM snapshots s JOIN accounts a ON a.id = s.account_id WHERE a.normalised_name = 'zezima' ORDER BY s.fetched_at") { try $0.int64(0) }
        }
        #expect(slayer.proof.startSnapshotID == snapshotIDs[0])
        #expect(slayer.proof.endSnapshotID == snapshotIDs[2])
        // B0aty: unranked at the start, ranked at the end: counted as entering the ranking.
        let boaty = try #require(byName["B0aty"]?.first)
        #expect(boaty.proof.value == 150_000)
        #expect(boaty.proof.deltas.first?.change == .enteredRanking)
        #expect(byName["Lynx Titan"] == nil)
        #expect(byName["Woox"] == nil)
        #expect(byName["Settled"] == nil)
        let reasons = Dictionary(uniqueKeysWithValues: entries.excluded.map { ($0.name, $0.reason) })
        #expect(reasons["Settled"]?.contains("no snapshot at or before the start") == true)
        #expect(reasons["Woox"]?.contains("left the clan") == true)
        // Ending twice is refused; the entries stay as they are.
        await #expect { _ = try await fixture.service.end(contestID: id) } throws: { refusal($0) != nil }
    }
}

@Suite(.databaseTests) struct ContestMembershipTests {
    @Test(arguments: TestDatabaseBackend.all) func membersWhoLeftBeforeTheStartAreNotJudgedAndThoseWhoLeftAfterTheEndStillCount(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, members: false)
        defer { fixture.remove() }
        let early = try await fixture.member("Early Leaver")
        try await fixture.snapshot(early, at: ContestFixture.baselineAt, slayer: 0)
        try await fixture.snapshot(early, at: ContestFixture.finalAt, slayer: 500_000)
        let late = try await fixture.member("Late Leaver")
        try await fixture.snapshot(late, at: ContestFixture.baselineAt, slayer: 0)
        try await fixture.snapshot(late, at: ContestFixture.finalAt, slayer: 500_000)
        let clanID = fixture.clanID
        try await fixture.store.write { db in
            _ = try db.members.remove(clanID: clanID, accountID: early, now: ContestFixture.start.addingTimeInterval(-3600))
            _ = try db.members.remove(clanID: clanID, accountID: late, now: ContestFixture.end.addingTimeInterval(30))
        }
        let id = try await fixture.draftWithRules()
        _ = try await fixture.service.activate(contestID: id)
        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await fixture.service.end(contestID: id)
        #expect(ended.evaluation.members.map(\.name) == ["Late Leaver"])
        #expect(String(decoding: ended.entryFile, as: UTF8.self) == "late leaver\nlate leaver\n")
        #expect(ended.detail.entries?.excluded.isEmpty == true)
    }
}
