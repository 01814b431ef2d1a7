import DatabaseTestTraits
import Cryptography
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

/// Migration 7 and the ranked and team contests it stores (docs/draw-scheme.md §8) on a real SQLite file.
@Suite(.databaseTests) struct ContestKindStorageTests {
    static let start = Fixtures.at(hours: 24)
    static let end = Fixtures.at(hours: 24 * 8)
    static let secret = Array(Digest.sha256(Array("contest kinds storage secret".utf8)))

    @Test(arguments: TestDatabaseBackend.all) func contestsFromBeforeTheMigrationBecomeRaffles(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let database = try Database(path: directory.location())
        let before = Migrator(migrations: Array(Migrations.all.prefix { $0.version < 7 }))
        _ = try before.migrate(database)
        let clan = try database.clans.create(guildID: Fixtures.guild, name: "Old Guard", now: Fixtures.t0)
        try database.execute(
            "INSERT INTO contests (clan_id, name, status, start_at, end_at, created_at, updated_at) VALUES (?, 'Old raffle', 'draft', ?, ?, ?, ?)",
            [clan.id, Self.start, Self.end, Fixtures.t0, Fixtures.t0])
        let applied = try Migrator().migrate(database)
        #expect(applied.map(\.name).contains("contest_kinds"))
        let contest = try #require(try database.contests.list(clanID: clan.id).first)
        #expect(contest.kind == .raffle && contest.teams.isEmpty)
        #expect(throws: (any Error).self) { try database.execute("UPDATE contests SET kind = 'lottery'") }
    }

    @Test(arguments: TestDatabaseBackend.all) func teamsAreStoredInDraftRefusedTwiceAndRankingsRecordedOnce(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Iron Legion", now: Fixtures.t0)
        let accounts = try ["Zezima", "B0aty", "Woox"].map { try Fixtures.account(db, $0) }
        var contest = try db.contests.create(clanID: clan.id, name: "Team week", startAt: Self.start, endAt: Self.end, randomness: .none, kind: .teams, now: Fixtures.t0)
        #expect(contest.kind == .teams)
        contest = try db.contests.addRule(try ContestRule(position: 1, kind: .bossKC, targets: ["Vorkath"], threshold: 1, weight: 2, title: "Vorkath"),
                                          to: contest.id, now: Fixtures.t0)
        let red = try ContestTeam(name: "Red", members: ["Zezima", "Woox"])
        let blue = try ContestTeam(name: "Blue", members: ["B0aty", "woox"])
        #expect(throws: ContestStorageError.refused(.teams(.memberInTwoTeams(member: "woox", first: "Red", second: "Blue")))) {
            try db.contests.setTeams([red, blue], contestID: contest.id, now: Fixtures.t0)
        }
        let teams = [red, try ContestTeam(name: "Blue", members: ["B0aty"])]
        try db.contests.setTeams(teams, contestID: contest.id, now: Fixtures.t0)
        contest = try db.contests.get(id: contest.id)
        #expect(contest.teams == teams)

        let commitment = try DrawCommitment.make(contestID: contest.id, endAt: contest.endAt, secret: Self.secret, rulesDigest: contest.rulesDigest, beacon: .none)
        try db.contests.activate(contestID: contest.id, commitment: commitment, secret: Self.secret, now: Fixtures.t0)
        #expect(throws: ContestStorageError.self) { try db.contests.setTeams(teams, contestID: contest.id, now: Fixtures.t0) }

        // The ranking file is the entry file; the rows hold points, not tickets.
        let file = try RankingFile.build([.init(name: "red", score: 10), .init(name: "blue", score: 10)])
        let proofOf = { (rule: Int, value: Int64) throws -> EntryProof in
            try JSONDecoder().decode(EntryProof.self, from: Data(
                #"{"start_snapshot_id":1,"end_snapshot_id":2,"rule_position":\#(rule),"threshold":1,"value":\#(value),"deltas":[]}"#.utf8))
        }
        let rows = try [(accounts[0], 3), (accounts[2], 2), (accounts[1], 5)].map { account, kills in
            ContestEntryRow.make(accountID: account.id, name: account.displayName, points: kills * 2, proof: try proofOf(1, Int64(kills)))
        }
        let entries = EntriesCommitment(digest: file.digest.hexString, ticketCount: UInt64(file.count))
        try db.contests.end(contestID: contest.id, entries: entries, entryFile: file.bytes, rows: rows, now: Self.end)
        #expect(try db.contests.entries(contestID: contest.id).map(\.entryCount).sorted() == [4, 6, 10])

        let proof = try RankingScheme.rank(kind: .teams, secret: Self.secret, commitment: commitment, beacon: nil, file: file, places: 1)
        let raffleProof = try DrawScheme.draw(secret: Self.secret, commitment: commitment, beacon: nil,
                                              entries: try EntryList.build([.init(accountID: 1, name: "red", tickets: 1), .init(accountID: 2, name: "blue", tickets: 1)]), winners: 1)
        #expect(throws: ContestStorageError.self) { try db.contests.recordDraw(contestID: contest.id, proof: raffleProof, now: Self.end) }
        try db.contests.recordRanking(contestID: contest.id, proof: proof, now: Self.end)
        let stored = try #require(try db.contests.ranking(contestID: contest.id))
        #expect(stored.proof == proof && stored.json == proof.json)
        #expect(try db.contests.get(id: contest.id).status == .drawn)
        #expect(throws: ContestStorageError.refused(.alreadyDrawn)) { try db.contests.recordRanking(contestID: contest.id, proof: proof, now: Self.end) }
    }
}

/// A `contest_entries` row as the service builds it from a ranked score.
enum ContestEntryRow {
    static func make(accountID: Int64, name: String, points: Int, proof: EntryProof) -> ContestEntry {
        var standings = PointsStandings(kind: .ranked, windowStart: Date(), windowEnd: Date(), competitors: [], excluded: [])
        let rule = try? ContestRule(position: proof.rulePosition, kind: .bossKC, targets: ["Vorkath"], threshold: 1, weight: 2, title: "Vorkath")
        let member = MemberScore(accountID: accountID, name: name, exclusion: nil,
                                 rules: rule.map { [RulePoints(rule: $0, gained: proof.value, points: Int64(points), proof: proof)] } ?? [], notes: [])
        standings.competitors = [Competitor(displayName: name, name: name.lowercased(), score: Int64(points), members: [member])]
        return standings.entries[0]
    }
}
