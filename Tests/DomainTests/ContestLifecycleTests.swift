import Cryptography
import Foundation
import Testing
@testable import Domain

/// Contests in each status, built by walking the lifecycle.
enum ContestFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let end = start.addingTimeInterval(7 * 86_400)
    static let beforeStart = start.addingTimeInterval(-3600)
    static let justAfterEnd = end.addingTimeInterval(60)
    static let secret = Digest.sha256(Array("contest fixture secret".utf8))

    static func rule(_ position: Int = 1) throws -> ContestRule {
        try ContestRule(position: position, kind: .skillXP, targets: ["Slayer"], threshold: 120_000, weight: 1, title: "Slayer grind")
    }

    static func commitment(for contest: Contest, beacon: BeaconChoice = .standard) throws -> DrawCommitment {
        try DrawCommitment.make(contestID: contest.id, endAt: contest.endAt, secret: secret, rulesDigest: contest.rulesDigest, beacon: beacon)
    }

    static var draft: Contest {
        get throws { try Contest(id: 7, clanID: 1, name: "January raffle", startAt: start, endAt: end) }
    }

    static var draftWithRule: Contest {
        get throws { try draft.applying(.addRule(rule())) }
    }

    static var active: Contest {
        get throws {
            let draft = try draftWithRule
            return try draft.applying(.activate(commitment(for: draft), at: beforeStart))
        }
    }

    static var ended: Contest {
        get throws { try active.applying(.end(EntriesCommitment(digest: String(repeating: "ab", count: 32), ticketCount: 5), at: justAfterEnd)) }
    }

    static var endedWithoutEntries: Contest {
        get throws { try active.applying(.end(.none, at: justAfterEnd)) }
    }

    static var drawn: Contest {
        get throws { try ended.applying(.draw(at: justAfterEnd.addingTimeInterval(1000))) }
    }

    static var cancelled: Contest {
        get throws { try active.applying(.cancel(reason: "hiscores down all week", at: justAfterEnd)) }
    }

    static func contest(_ status: ContestStatus) throws -> Contest {
        switch status {
        case .draft: try draftWithRule
        case .active: try active
        case .ended: try ended
        case .drawn: try drawn
        case .cancelled: try cancelled
        }
    }

    /// One event of each kind, each valid for the status it belongs to.
    static func events(for contest: Contest) throws -> [ContestEvent] {
        [
            .addRule(try rule(contest.nextRulePosition)),
            .removeRule(position: 1),
            .edit(ContestDraftEdit(name: "Renamed")),
            .activate(try commitment(for: contest), at: beforeStart),
            .end(EntriesCommitment(digest: String(repeating: "ab", count: 32), ticketCount: 5), at: justAfterEnd),
            .draw(at: justAfterEnd.addingTimeInterval(1000)),
            .cancel(reason: "prize no longer available", at: justAfterEnd),
        ]
    }

    static let allowed: [ContestStatus: Set<String>] = [
        .draft: ["add a rule to", "remove a rule from", "edit", "activate", "cancel"],
        .active: ["end", "cancel"],
        .ended: ["draw", "cancel"],
        .drawn: [],
        .cancelled: [],
    ]
}

@Suite struct ContestLifecycleTests {
    @Test(arguments: ContestStatus.allCases)
    func everyStepIsAllowedOrRefusedByStatus(status: ContestStatus) throws {
        let contest = try ContestFixture.contest(status)
        #expect(contest.status == status)
        for event in try ContestFixture.events(for: contest) {
            let allowed = ContestFixture.allowed[status]?.contains(event.name) ?? false
            do {
                let next = try contest.applying(event)
                #expect(allowed, "\(event.name) should be refused when \(status)")
                #expect(next != contest)
            } catch {
                #expect(!allowed, "\(event.name) should be allowed when \(status): \(error)")
                if status == .drawn, case .draw = event {
                    #expect(error == .alreadyDrawn)
                } else {
                    #expect(error == .wrongStatus(action: event.name, status: status, allowed: ContestStatus.allCases.filter { ContestFixture.allowed[$0]?.contains(event.name) ?? false }))
                }
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func aDraftEditChangesOnlyWhatIsGivenAndIsCheckedLikeANewDraft() throws {
        var draft = try ContestFixture.contest(.draft)
        draft.prize = "1 bond"
        let edited = try draft.applying(.edit(ContestDraftEdit(name: "  Summer XP  ", prize: "", winnersCount: 3, randomness: ContestRandomnessChoice.none)))
        #expect(edited.name == "Summer XP")
        #expect(edited.prize == nil)
        #expect(edited.winnersCount == 3)
        #expect(edited.randomnessChoice == ContestRandomnessChoice.none)
        #expect(edited.startAt == draft.startAt && edited.endAt == draft.endAt && edited.rules == draft.rules)
        #expect(ContestDraftEdit().isEmpty)
        #expect(try edited.applying(.edit(ContestDraftEdit(description: "-"))).description == nil)

        #expect(throws: ContestTransitionError.invalidDraft("the contest must end after it starts")) {
            try draft.applying(.edit(ContestDraftEdit(endAt: draft.startAt)))
        }
        #expect(throws: ContestTransitionError.self) { try draft.applying(.edit(ContestDraftEdit(name: "   "))) }
        #expect(throws: ContestTransitionError.self) { try draft.applying(.edit(ContestDraftEdit(winnersCount: 0))) }
    }

    @Test func theHappyPathRecordsEachStep() throws {
        let drawn = try ContestFixture.drawn
        #expect(drawn.status == .drawn)
        #expect(drawn.activatedAt == ContestFixture.beforeStart)
        #expect(drawn.endedAt == ContestFixture.justAfterEnd)
        #expect(drawn.drawnAt != nil)
        #expect(drawn.commitment?.rulesDigest == drawn.rulesDigest.hexString)
        #expect(drawn.entries?.ticketCount == 5)
        let cancelled = try ContestFixture.cancelled
        #expect(cancelled.cancelReason == "hiscores down all week")
        #expect(cancelled.cancelledAt == ContestFixture.justAfterEnd)
    }

    @Test func aDraftMustMakeSense() {
        #expect(throws: ContestTransitionError.self) { try Contest(id: 1, clanID: 1, name: "  ", startAt: ContestFixture.start, endAt: ContestFixture.end) }
        #expect(throws: ContestTransitionError.self) { try Contest(id: 1, clanID: 1, name: "x", startAt: ContestFixture.end, endAt: ContestFixture.start) }
        #expect(throws: ContestTransitionError.self) { try Contest(id: 1, clanID: 1, name: "x", startAt: ContestFixture.start, endAt: ContestFixture.end, winnersCount: 0) }
    }

    @Test func rulesAreNumberedInOrderAndCanBeRemovedInDraft() throws {
        var contest = try ContestFixture.draftWithRule
        #expect(throws: ContestTransitionError.rulePosition(expected: 2, got: 5)) { try contest.applying(.addRule(ContestFixture.rule(5))) }
        contest = try contest.applying(.addRule(ContestFixture.rule(2)))
        contest = try contest.applying(.removeRule(position: 1))
        #expect(contest.rules.map(\.position) == [2])
        #expect(contest.nextRulePosition == 3)
        #expect(throws: ContestTransitionError.noSuchRule(position: 1)) { try contest.applying(.removeRule(position: 1)) }
    }

    @Test func activationNeedsRulesAFutureEndAndItsOwnCommitment() throws {
        let empty = try ContestFixture.draft
        #expect(throws: ContestTransitionError.noRules) { try empty.applying(.activate(ContestFixture.commitment(for: empty), at: ContestFixture.beforeStart)) }
        let draft = try ContestFixture.draftWithRule
        let commitment = try ContestFixture.commitment(for: draft)
        #expect(throws: ContestTransitionError.endInThePast(endAt: ContestFixture.end, now: ContestFixture.justAfterEnd)) {
            try draft.applying(.activate(commitment, at: ContestFixture.justAfterEnd))
        }
        var otherContest = draft
        otherContest.id = 8
        #expect(throws: ContestTransitionError.commitmentMismatch("it names contest 7")) { try otherContest.applying(.activate(commitment, at: ContestFixture.beforeStart)) }
        var otherEnd = draft
        otherEnd.endAt = ContestFixture.end.addingTimeInterval(60)
        #expect(throws: ContestTransitionError.self) { try otherEnd.applying(.activate(commitment, at: ContestFixture.beforeStart)) }
        let moreRules = try draft.applying(.addRule(ContestFixture.rule(2)))
        #expect(throws: ContestTransitionError.commitmentMismatch("it names other rules")) { try moreRules.applying(.activate(commitment, at: ContestFixture.beforeStart)) }
        // The randomness mode chosen at activation is the one kept; nothing later can replace it.
        let none = try draft.applying(.activate(ContestFixture.commitment(for: draft, beacon: .none), at: ContestFixture.beforeStart))
        #expect(none.commitment?.randomness == RandomnessMode.none)
        #expect(throws: ContestTransitionError.self) { try none.applying(.activate(commitment, at: ContestFixture.beforeStart)) }
    }

    @Test func endingWaitsForTheEndAndMustBeatTheBeacon() throws {
        let active = try ContestFixture.active
        #expect(throws: ContestTransitionError.notYetOver(endAt: ContestFixture.end)) {
            try active.applying(.end(.none, at: ContestFixture.end.addingTimeInterval(-1)))
        }
        let published = try #require(active.commitment?.beaconPublicationTime)
        #expect(throws: ContestTransitionError.tooLateForEntries(beaconPublishedAt: published)) {
            try active.applying(.end(.none, at: published))
        }
        #expect(try active.applying(.end(.none, at: published.addingTimeInterval(-1))).status == .ended)
    }

    @Test func aContestWithoutEntriesEndsButCannotBeDrawn() throws {
        let ended = try ContestFixture.endedWithoutEntries
        #expect(ended.status == .ended)
        #expect(ended.entries?.ticketCount == 0)
        #expect(ended.entries?.digest == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(throws: ContestTransitionError.noEntries) { try ended.applying(.draw(at: ContestFixture.justAfterEnd)) }
        #expect(try ended.applying(.cancel(reason: "nobody qualified", at: ContestFixture.justAfterEnd)).status == .cancelled)
    }

    @Test func drawingTwiceIsRefusedSoTheServiceReturnsTheStoredResult() throws {
        let drawn = try ContestFixture.drawn
        #expect(throws: ContestTransitionError.alreadyDrawn) { try drawn.applying(.draw(at: Date())) }
        #expect(ContestTransitionError.alreadyDrawn.description.contains("stored result"))
    }

    @Test func underV2WithABeaconAnEndedContestCannotBeCancelledOnceTheRoundIsOut() throws {
        let ended = try ContestFixture.ended
        #expect(ended.commitment?.version == .v2 && ended.commitment?.publishesSecretAtLock == true)
        let published = try #require(ended.commitment?.beaconPublicationTime)
        // Before t(R) nobody knows the result: a cancellation overrules nothing.
        #expect(try ended.applying(.cancel(reason: "hiscores were wrong", at: published.addingTimeInterval(-1))).status == .cancelled)
        // From t(R) the winners follow from public values: cancelling would be a veto.
        #expect(throws: ContestTransitionError.resultAlreadyPublic(beaconPublishedAt: published)) {
            try ended.applying(.cancel(reason: "I do not like the winner", at: published))
        }
        #expect(ContestTransitionError.resultAlreadyPublic(beaconPublishedAt: published).description.contains("clanbot verify"))
        // Without entries there is no result to veto.
        #expect(try ContestFixture.endedWithoutEntries.applying(.cancel(reason: "nobody qualified", at: published)).status == .cancelled)
    }

    @Test func v1ContestsAndContestsWithoutBeaconCanStillBeCancelledUntilDrawn() throws {
        let draft = try ContestFixture.draftWithRule
        let entries = EntriesCommitment(digest: String(repeating: "ab", count: 32), ticketCount: 5)
        let v1 = try DrawCommitment.make(contestID: draft.id, endAt: draft.endAt, secret: ContestFixture.secret, rulesDigest: draft.rulesDigest,
                                         beacon: .standard, version: .v1)
        let endedV1 = try draft.applying(.activate(v1, at: ContestFixture.beforeStart)).applying(.end(entries, at: ContestFixture.justAfterEnd))
        #expect(endedV1.commitment?.scheme == "clanbot-draw-v1" && endedV1.commitment?.publishesSecretAtLock == false)
        let late = ContestFixture.end.addingTimeInterval(30 * 86_400)
        #expect(try endedV1.applying(.cancel(reason: "secret lost", at: late)).status == .cancelled)
        let none = try ContestFixture.commitment(for: draft, beacon: .none)
        let endedNone = try draft.applying(.activate(none, at: ContestFixture.beforeStart)).applying(.end(entries, at: ContestFixture.justAfterEnd))
        #expect(endedNone.commitment?.publishesSecretAtLock == false)
        #expect(try endedNone.applying(.cancel(reason: "changed our minds", at: late)).status == .cancelled)
        // An unknown scheme is never activated.
        var unknown = none
        unknown.scheme = "clanbot-draw-v9"
        #expect(throws: ContestTransitionError.commitmentMismatch("unknown scheme clanbot-draw-v9")) {
            try draft.applying(.activate(unknown, at: ContestFixture.beforeStart))
        }
    }

    @Test func cancellingNeedsAReason() throws {
        let active = try ContestFixture.active
        #expect(throws: ContestTransitionError.emptyReason) { try active.applying(.cancel(reason: "   ", at: ContestFixture.justAfterEnd)) }
    }
}
