import DatabaseTestTraits
import Cryptography
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

/// The contest repository on a real SQLite file: drafts, rules, each transition and what it stores.
@Suite(.databaseTests) struct ContestRepositoryTests {
    static let start = Fixtures.at(hours: 24)
    static let end = Fixtures.at(hours: 24 * 8)
    static let secret = Array(Digest.sha256(Array("contest repository test secret".utf8)))

    struct Setup {
        let directory: TemporaryDirectory
        let db: Database
        let clanID: Int64
        let accounts: [Account]
    }

    func setup(_ backend: TestDatabaseBackend) throws -> Setup {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let accounts = try ["Zezima", "B0aty"].map { try Fixtures.account(db, $0) }
        return Setup(directory: directory, db: db, clanID: clan.id, accounts: accounts)
    }

    func draft(_ setup: Setup, randomness: ContestRandomnessChoice = .drand) throws -> Contest {
        let contest = try setup.db.contests.create(clanID: setup.clanID, name: "  June raffle ", prize: "10m", startAt: Self.start, endAt: Self.end,
                                                   winnersCount: 2, randomness: randomness, now: Fixtures.t0)
        let rule = try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer", "Attack"], threshold: 100_000, weight: 2, title: "Grind")
        return try setup.db.contests.addRule(rule, to: contest.id, now: Fixtures.t0)
    }

    func commitment(_ contest: Contest, secret: [UInt8] = secret, beacon: BeaconChoice = .standard) throws -> DrawCommitment {
        try DrawCommitment.make(contestID: contest.id, endAt: contest.endAt, secret: secret, rulesDigest: contest.rulesDigest, beacon: beacon)
    }

    @Test(arguments: TestDatabaseBackend.all) func aDraftIsStoredAndReadBackWithItsRules(_ backend: TestDatabaseBackend) throws {
        let setup = try setup(backend)
        let contest = try draft(setup)
        let loaded = try setup.db.contests.get(id: contest.id)
        #expect(loaded == contest)
        #expect(loaded.name == "June raffle")
        #expect(loaded.status == .draft)
        #expect(loaded.winnersCount == 2)
        #expect(loaded.rules.first?.targets == ["Slayer", "Attack"])
        #expect(try setup.db.contests.list(clanID: setup.clanID).map(\.id) == [contest.id])
        #expect(try setup.db.contests.list(clanID: setup.clanID, status: .active).isEmpty)
        #expect(throws: ContestStorageError.unknownContest(999)) { try setup.db.contests.get(id: 999) }
        #expect(throws: ContestStorageError.unknownContest(contest.id)) { try setup.db.contests.get(id: contest.id, clanID: setup.clanID + 1) }
        #expect(throws: StorageError.self) {
            try setup.db.contests.create(clanID: 999, name: "x", startAt: Self.start, endAt: Self.end, now: Fixtures.t0)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func activationStoresTheSecretAndLocksTheRules(_ backend: TestDatabaseBackend) throws {
        let setup = try setup(backend)
        let contest = try draft(setup)
        // A commitment that is not SHA-256 of the secret is refused before anything is written.
        #expect(throws: ContestStorageError.self) {
            try setup.db.contests.activate(contestID: contest.id, commitment: try commitment(contest), secret: Array(Self.secret.reversed()), now: Fixtures.t0)
        }
        // So is a mode other than the draft's.
        #expect(throws: ContestStorageError.self) {
            try setup.db.contests.activate(contestID: contest.id, commitment: try commitment(contest, beacon: .none), secret: Self.secret, now: Fixtures.t0)
        }
        let committed = try commitment(contest)
        let active = try setup.db.contests.activate(contestID: contest.id, commitment: committed, secret: Self.secret, now: Fixtures.t0)
        #expect(active.status == .active)
        let loaded = try setup.db.contests.get(id: contest.id)
        #expect(loaded.commitment == committed)
        #expect(loaded.activatedAt == Fixtures.t0)
        #expect(try setup.db.contests.secret(contestID: contest.id) == Self.secret)
        let late = try ContestRule(position: 2, kind: .totalXP, targets: [], threshold: 1, title: "Late")
        #expect {
            try setup.db.contests.addRule(late, to: contest.id)
        } throws: { error in
            guard case .refused(.wrongStatus(_, .active, [.draft]))? = error as? ContestStorageError else { return false }
            return true
        }
        #expect(try setup.db.contests.get(id: contest.id).rules.count == 1)
    }

    @Test(arguments: TestDatabaseBackend.all) func theEndStoresEntriesTheFileAndExclusionsAndTheDrawOneRowPerWinner(_ backend: TestDatabaseBackend) throws {
        let setup = try setup(backend)
        let contest = try draft(setup)
        let committed = try commitment(contest)
        try setup.db.contests.activate(contestID: contest.id, commitment: committed, secret: Self.secret, now: Fixtures.t0)
        let snapshot = try setup.db.snapshots.insert(accountID: setup.accounts[0].id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil,
                                                     latencyMs: 0, record: Fixtures.record())
        let evaluation = RuleEvaluator.evaluate(rules: contest.rules, startAt: Self.start, endAt: Self.end, members: [
            ContestMember(accountID: setup.accounts[0].id, name: "Zezima", snapshots: [snapshot]),
        ])
        #expect(evaluation.entries.isEmpty)  // no gains: build the entries by hand below

        let list = try EntryList.build([.init(accountID: setup.accounts[0].id, name: "Zezima", tickets: 2),
                                        .init(accountID: setup.accounts[1].id, name: "B0aty", tickets: 1)])
        let afterEnd = Self.end.addingTimeInterval(60)
        // A file that is not the digest's is refused.
        #expect(throws: ContestStorageError.self) {
            try setup.db.contests.end(contestID: contest.id, entries: EntriesCommitment(list), entryFile: Array("zezima\n".utf8), rows: [], now: afterEnd)
        }
        #expect(try setup.db.contests.entryFile(contestID: contest.id) == nil)
        let rows = try Self.entryRows(setup, snapshotID: snapshot.id)
        let ended = try setup.db.contests.end(contestID: contest.id, entries: EntriesCommitment(list), entryFile: list.bytes, rows: rows,
                                              exclusions: [ContestExclusion(accountID: 9, name: "Woox", reason: "left the clan")], now: afterEnd)
        #expect(ended.status == .ended)
        #expect(try setup.db.contests.entryFile(contestID: contest.id) == list.bytes)
        #expect(try setup.db.contests.exclusions(contestID: contest.id).map(\.name) == ["Woox"])
        let stored = try setup.db.contests.entries(contestID: contest.id)
        #expect(stored.map(\.name) == ["B0aty", "Zezima"])
        #expect(stored.map(\.proof) == rows.sorted { $0.name < $1.name }.map(\.proof))

        var beacon: BeaconRound?
        if case .drandQuicknet(let number) = committed.randomness { beacon = BeaconRound(round: number, signature: [UInt8](repeating: 7, count: 48)) }
        let proof = try DrawScheme.draw(secret: Self.secret, commitment: committed, beacon: beacon, entries: list, winners: 2)
        try setup.db.contests.recordDraw(contestID: contest.id, proof: proof, now: afterEnd)
        let draw = try #require(try setup.db.contests.draw(contestID: contest.id))
        #expect(draw.proofJSON == proof.json)
        #expect(draw.proof == proof)
        #expect(draw.winners.map(\.ticket) == proof.winners.map(\.name))
        #expect(Set(draw.winners.map(\.accountID)) == Set(setup.accounts.map(\.id)))
        #expect(try setup.db.contests.get(id: contest.id).status == .drawn)
        // A second record is refused by the lifecycle: the stored draw stays.
        #expect { try setup.db.contests.recordDraw(contestID: contest.id, proof: proof, now: afterEnd) } throws: { error in
            (error as? ContestStorageError) == .refused(.alreadyDrawn)
        }
        #expect(throws: ContestStorageError.self) { try setup.db.contests.cancel(contestID: contest.id, reason: "too late") }
    }

    @Test(arguments: TestDatabaseBackend.all) func cancellationNeedsAReasonAndKeepsIt(_ backend: TestDatabaseBackend) throws {
        let setup = try setup(backend)
        let contest = try draft(setup)
        #expect(throws: ContestStorageError.refused(.emptyReason)) { try setup.db.contests.cancel(contestID: contest.id, reason: " ") }
        try setup.db.contests.cancel(contestID: contest.id, reason: "wrong dates", now: Fixtures.t0)
        let loaded = try setup.db.contests.get(id: contest.id)
        #expect(loaded.status == .cancelled)
        #expect(loaded.cancelReason == "wrong dates")
        #expect(loaded.cancelledAt == Fixtures.t0)
        #expect(try setup.db.contests.list(clanID: setup.clanID, status: .cancelled).count == 1)
    }

    /// Entries as the evaluation would make them: Zezima satisfied rule 1 (weight 2), B0aty a weight-1 share.
    static func entryRows(_ setup: Setup, snapshotID: Int64) throws -> [ContestEntry] {
        let zezima = try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, weight: 2, title: "Grind")
        let proofRule = try ContestRule(position: 1, kind: .totalXP, targets: [], threshold: 1, weight: 1, title: "Grind")
        func entry(_ rule: ContestRule, _ account: Account, gain: Int64) throws -> ContestEntry {
            let start = PlayerSnapshot(id: snapshotID, accountID: account.id, fetchedAt: Fixtures.t0, requestedBoard: .regular, resolvedType: nil,
                                       latencyMs: 0, record: Fixtures.record())
            let end = PlayerSnapshot(id: snapshotID, accountID: account.id, fetchedAt: Fixtures.at(hours: 48), requestedBoard: .regular, resolvedType: nil,
                                     latencyMs: 0, record: Fixtures.record(gain: gain))
            let evaluation = RuleEvaluator.evaluate(rules: [rule], startAt: Fixtures.at(hours: 1), endAt: Fixtures.at(hours: 72), members: [
                ContestMember(accountID: account.id, name: account.displayName, snapshots: [start, end]),
            ])
            return try #require(evaluation.entries.first)
        }
        return [try entry(zezima, setup.accounts[0], gain: 10), try entry(proofRule, setup.accounts[1], gain: 5)]
    }
}
