import DatabaseTestTraits
import Domain
import Foundation
import Hiscores
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// Issue 12 item 6, end to end through the fake hiscores: a rollback snapshot is kept but flagged and measured
/// around; a row new to the hiscores starts from its first value.
@Suite(.databaseTests) struct HiscoresChangesTests {
    struct World {
        let server: FakeHiscoresServer
        let fixture: ServicesFixture
        let clanID: Int64
        let snapshots: SnapshotService
        let clock: LockedValue<Date>

        static func make(_ backend: TestDatabaseBackend = .sqlite, members: [String]) async throws -> World {
            let server = try FakeHiscoresServer()
            let fixture = try await ServicesFixture(backend)
            let clanID = try await fixture.clan("Honest Clan", mode: .board(.regular))
            for name in members { try await fixture.join(clanID, try await fixture.account(name)) }
            let clock = LockedValue(instant("2026-06-01T00:00:00Z"))
            let client = HiscoresClient(http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: 1_000),
                                        configuration: .init(baseURL: server.baseURL, timeout: .seconds(5), maxAttempts: 1))
            let snapshots = SnapshotService(store: fixture.store, hiscores: client, clock: { clock.value })
            return World(server: server, fixture: fixture, clanID: clanID, snapshots: snapshots, clock: clock)
        }

        func advance(days: Double) { clock.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }

        func tearDown() {
            server.stop()
            fixture.remove()
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func aRollbackSnapshotIsKeptFlaggedAndGainsNothing(_ backend: TestDatabaseBackend) async throws {
        let world = try await World.make(backend, members: ["Rolled"])
        defer { world.tearDown() }
        let base = HiscoresFixture.Player.typical(seed: 3).with(skill: "Slayer", xp: 5_000_000).with(activity: "Zulrah", score: 300)
        world.server.set("Rolled", on: .regular, base)
        _ = try await world.snapshots.snapshot(name: "Rolled", board: .regular)
        world.advance(days: 1)
        // The hiscores roll back: Slayer and Zulrah lose value.
        world.server.set("Rolled", on: .regular, base.with(skill: "Slayer", xp: 4_900_000).with(activity: "Zulrah", score: 280))
        let dip = try await world.snapshots.snapshot(name: "Rolled", board: .regular)
        #expect(dip.snapshot.rollbackRows == ["Slayer", "Zulrah"])
        #expect(dip.delta?.skill(named: "Slayer")?.xpGained == 0)
        world.advance(days: 1)
        // The rollback is undone, plus 20k real Slayer xp.
        world.server.set("Rolled", on: .regular, base.with(skill: "Slayer", xp: 5_020_000).with(activity: "Zulrah", score: 300))
        let recovered = try await world.snapshots.snapshot(name: "Rolled", board: .regular)
        #expect(!recovered.snapshot.isRollback)

        // Kept and flagged in the database.
        let stored = try await world.fixture.store.read { db in try db.snapshots.get(id: dip.snapshot.id) }
        #expect(stored.rollbackRows == ["Slayer", "Zulrah"])
        #expect(try await world.fixture.store.read { db in try db.snapshots.count(accountID: dip.account.id) } == 3)

        // The week's board measures around the dip: only the 20k of real progress counts, not the 120k recovery.
        let boards = LeaderboardService(store: world.fixture.store, clock: { world.clock.value })
        let slayer = try await boards.leaderboard(clanID: world.clanID, metric: .skillXP(skill: "Slayer"), timeframe: .last7Days)
        #expect(slayer.rows.map(\.value) == [20_000])
        let zulrah = try await boards.leaderboard(clanID: world.clanID, metric: .bossKC(boss: "Zulrah"), timeframe: .last7Days)
        #expect(zulrah.rows.map(\.value) == [0])
    }

    @Test(arguments: TestDatabaseBackend.all) func aBossNewToTheHiscoresStartsFromItsFirstValue(_ backend: TestDatabaseBackend) async throws {
        let world = try await World.make(backend, members: ["Early Bird"])
        defer { world.tearDown() }
        let before = HiscoresFixture.Player.typical(seed: 5)
        world.server.set("Early Bird", on: .regular, before)
        _ = try await world.snapshots.snapshot(name: "Early Bird", board: .regular)
        world.advance(days: 1)
        // The game adds a boss; the player already has 40 kills on its first day on the hiscores.
        world.server.set("Early Bird", on: .regular, before.with(activity: "The Mad Angel", score: 40))
        let appeared = try await world.snapshots.snapshot(name: "Early Bird", board: .regular)
        let row = try #require(appeared.delta?.activity(named: "The Mad Angel"))
        #expect(row.score.kind == .appeared && row.gained == 0)
        world.advance(days: 1)
        world.server.set("Early Bird", on: .regular, before.with(activity: "The Mad Angel", score: 55))
        _ = try await world.snapshots.snapshot(name: "Early Bird", board: .regular)

        // A window that starts before the boss existed counts nothing for it (not 55, nor an estimate from 5 kills) ...
        let boards = LeaderboardService(store: world.fixture.store, clock: { world.clock.value })
        let week = try await boards.leaderboard(clanID: world.clanID, metric: .bossKC(boss: "the mad angel"), timeframe: .last7Days)
        #expect(week.rows.map(\.value) == [0])
        #expect(week.rows.first?.estimated == false)
        // ... and from its first value on, kills count as usual.
        let since = Timeframe.custom(start: appeared.snapshot.fetchedAt, end: world.clock.value)
        let after = try await boards.leaderboard(clanID: world.clanID, metric: .bossKC(boss: "the mad angel"), timeframe: since)
        #expect(after.rows.map(\.value) == [15])
    }
}
