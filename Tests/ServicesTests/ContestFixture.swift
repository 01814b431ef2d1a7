import Domain
import Foundation
import Storage
import TestSupport
import Transport
@testable import Services

/// The lifecycle refusal a refused step carries, nil for any other error.
func refusal(_ error: any Error) -> ContestTransitionError? {
    if case .refused(let refusal)? = error as? ContestServiceError { return refusal }
    return nil
}

/// A clan with five members and their snapshots around one contest window, a fake drand relay, and the service.
///
/// Slayer ≥ 120,000 xp (weight 2) and Zulrah ≥ 50 kills (weight 1):
/// - Zezima gains 200,000 Slayer xp and 60 Zulrah kills: 3 tickets;
/// - B0aty is unranked in Slayer at the start and has 150,000 xp at the end (entered the ranking): 2 tickets;
/// - Lynx Titan gains 50,000 Slayer xp: nothing, needs 70,000 more;
/// - Woox qualifies on paper but left the clan during the contest: excluded;
/// - Settled has no snapshot before the start: excluded.
struct ContestFixture {
    static let created = instant("2026-05-20T00:00:00Z")
    static let start = instant("2026-06-01T00:00:00Z")
    static let end = instant("2026-06-08T00:00:00Z")
    static let baselineAt = instant("2026-05-31T12:00:00Z")
    static let midAt = instant("2026-06-04T12:00:00Z")
    static let finalAt = instant("2026-06-07T23:00:00Z")
    static let afterEnd = end.addingTimeInterval(60)

    let base: ServicesFixture
    let relay: FakeDrandRelay
    /// The service's time, moved by the test (and the contest loop's, when a test runs it).
    let clock: ManualClock
    /// What the service announced.
    let log: EventRecorder
    let service: ContestService
    let clanID: Int64
    var store: Store { base.store }

    init(_ backend: TestDatabaseBackend = .sqlite, members: Bool = true, http: Bool = true, maximumWait: Duration = .seconds(5)) async throws {
        base = try await ServicesFixture(backend)
        relay = try FakeDrandRelay()
        clock = ManualClock(start: Self.created)
        log = EventRecorder()
        let clock = clock
        let log = log
        service = ContestService(
            store: base.store, http: http ? try HTTPClient() : nil, drandBase: relay.baseURL,
            configuration: .init(beaconMarginSeconds: 900, beaconRetryInterval: .milliseconds(20), beaconMaximumWait: maximumWait,
                                 drandPublicKey: FakeDrandRelay.publicKey),
            clock: clock.dateSource, events: log.events)
        clanID = try await base.clan("Iron Legion")
        if members { try await addMembers() }
    }

    func remove() {
        relay.stop()
        base.remove()
    }

    func member(_ name: String) async throws -> Int64 {
        let id = try await base.account(name)
        try await base.join(clanID, id)
        return id
    }

    func snapshot(_ accountID: Int64, at: Date, slayer: Int64, zulrah: Int = -1) async throws {
        try await base.snapshot(accountID, at: at, skills: [("Overall", 1000, 10_000_000 + max(0, slayer)), ("Slayer", slayer < 0 ? 1 : 80, slayer)],
                                activities: [("Zulrah", zulrah)])
    }

    private func addMembers() async throws {
        let zezima = try await member("Zezima")
        try await snapshot(zezima, at: Self.baselineAt, slayer: 1_000_000, zulrah: 100)
        try await snapshot(zezima, at: Self.midAt, slayer: 1_100_000, zulrah: 130)
        try await snapshot(zezima, at: Self.finalAt, slayer: 1_200_000, zulrah: 160)
        // A snapshot after the end must not count.
        try await snapshot(zezima, at: Self.end.addingTimeInterval(30), slayer: 9_000_000, zulrah: 900)

        let boaty = try await member("B0aty")
        try await snapshot(boaty, at: Self.baselineAt, slayer: -1)
        try await snapshot(boaty, at: Self.finalAt, slayer: 150_000)

        let lynx = try await member("Lynx Titan")
        try await snapshot(lynx, at: Self.baselineAt, slayer: 5_000_000)
        try await snapshot(lynx, at: Self.midAt, slayer: 5_020_000)
        try await snapshot(lynx, at: Self.finalAt, slayer: 5_050_000)

        let woox = try await member("Woox")
        try await snapshot(woox, at: Self.baselineAt, slayer: 1_000)
        try await snapshot(woox, at: Self.finalAt, slayer: 900_000)
        let clanID = clanID
        try await store.write { db in _ = try db.members.remove(clanID: clanID, accountID: woox, now: instant("2026-06-05T00:00:00Z")) }

        let settled = try await member("Settled")
        try await snapshot(settled, at: instant("2026-06-02T00:00:00Z"), slayer: 100)
        try await snapshot(settled, at: Self.finalAt, slayer: 500_000)
    }

    /// A draft with the two rules of this fixture.
    func draftWithRules(winners: Int = 1, randomness: ContestRandomnessChoice = .drand) async throws -> Int64 {
        let draft = try await service.create(ContestDraft(clanID: clanID, name: "June slayer raffle", prize: "10m gp",
                                                          startAt: Self.start, endAt: Self.end, winners: winners, randomness: randomness))
        _ = try await service.addRule(contestID: draft.id, kind: .skillXP, targets: ["Slayer"], threshold: 120_000, weight: 2, title: "Slayer grind")
        _ = try await service.addRule(contestID: draft.id, kind: .bossKC, targets: ["Zulrah"], threshold: 50, title: "Snake hunt")
        return draft.id
    }

    /// Draft, rules, activation, end: a contest ready to draw, the clock at the committed round's publication.
    func endedContest(winners: Int = 1, randomness: ContestRandomnessChoice = .drand) async throws -> (id: Int64, round: UInt64?) {
        let id = try await draftWithRules(winners: winners, randomness: randomness)
        let activation = try await service.activate(contestID: id)
        clock.set(Self.afterEnd)
        _ = try await service.end(contestID: id)
        guard case .drandQuicknet(let round) = activation.commitment.randomness else { return (id, nil) }
        clock.set(DrandQuicknet.publicationTime(ofRound: round).addingTimeInterval(1))
        return (id, round)
    }
}
