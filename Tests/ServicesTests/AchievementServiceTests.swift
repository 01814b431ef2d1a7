import DatabaseTestTraits
import Domain
import Foundation
import Hiscores
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// Achievements end to end: fake hiscores → batches → stored once → listed.
@Suite(.databaseTests) struct AchievementServiceTests {
    struct World {
        let server: FakeHiscoresServer
        let fixture: ServicesFixture
        let clanID: Int64
        let snapshots: SnapshotService
        let batches: BatchSnapshotService
        let clock: LockedValue<Date>

        static func make(_ backend: TestDatabaseBackend = .sqlite, members: [String]) async throws -> World {
            let server = try FakeHiscoresServer()
            let fixture = try await ServicesFixture(backend)
            let clanID = try await fixture.clan("Milestone Clan", mode: .board(.regular))
            for name in members { try await fixture.join(clanID, try await fixture.account(name)) }
            let clock = LockedValue(instant("2026-06-01T18:00:00Z"))
            let client = HiscoresClient(http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: 1_000),
                                        configuration: .init(baseURL: server.baseURL, timeout: .seconds(5), maxAttempts: 1))
            let snapshots = SnapshotService(store: fixture.store, hiscores: client, clock: { clock.value })
            let batches = BatchSnapshotService(store: fixture.store, snapshotter: snapshots, staleAfter: 600, clock: { clock.value })
            return World(server: server, fixture: fixture, clanID: clanID, snapshots: snapshots, batches: batches, clock: clock)
        }

        func advance(seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }

        /// Runs a whole batch; returns the achievements its progress reports carried.
        func batch() async throws -> [StoredAchievement] {
            let log = LockedValue<[StoredAchievement]>([])
            let handle = try await batches.start(clanID: clanID) { report in log.withLock { $0 += report.achievements } }
            _ = try await handle.result()
            return log.value
        }

        func stored() async throws -> [StoredAchievement] {
            try await fixture.store.read { db in try db.achievements.recent(clanID: clanID, limit: 100) }
        }

        func tearDown() {
            server.stop()
            fixture.remove()
        }
    }

    static let ninetyEight: Int64 = 12_900_000
    static let ninetyNine: Int64 = 13_034_431

    @Test(arguments: TestDatabaseBackend.all) func ninetyNineSlayerBetweenTwoBatchesIsStoredOnceAlsoAfterACrashAndARollback(_ backend: TestDatabaseBackend) async throws {
        let world = try await World.make(backend, members: ["Slayer Sam", "Quiet Quinn"])
        defer { world.tearDown() }
        let sam = HiscoresFixture.Player.typical(seed: 8).with(skill: "Slayer", xp: Self.ninetyEight)
        world.server.set("Slayer Sam", on: .regular, sam)
        world.server.set("Quiet Quinn", on: .regular, .typical(seed: 9))
        #expect(try await world.batch().isEmpty)  // first snapshots: nothing to compare with
        let firstBatchAt = world.clock.value

        // Sam reaches 99 Slayer. The next day's batch crashes right after storing Sam's snapshot (and so the
        // achievement, in the same transaction), before recording Sam's line.
        world.server.set("Slayer Sam", on: .regular, sam.with(skill: "Slayer", xp: Self.ninetyNine + 5_000))
        world.advance(seconds: 86_400)
        let crashedAt = world.clock.value
        let samID = try await world.fixture.account("Slayer Sam")
        _ = try await world.fixture.store.write { db in
            try db.batchRuns.create(clanID: world.clanID, jobID: "crashed", mode: .board(.regular), source: "manual",
                                       scheduledFor: nil, requestedBy: nil, owner: "old-host/1/dead", now: crashedAt)
        }
        let beforeCrash = try await world.snapshots.snapshotMember(accountID: samID, displayName: "Slayer Sam", board: .regular)
        #expect(beforeCrash.achievements.map(\.achievement.title) == ["99 Slayer"])

        // Another process recovers the batch: Sam is fetched again, and nothing new is stored.
        world.advance(seconds: 1_200)
        let recovered = try await world.batches.recoverInterrupted(resumeWithin: 3_600)
        guard case .resumed(let handle) = recovered.first else {
            Issue.record("expected the crashed batch to be resumed, got \(recovered)")
            return
        }
        #expect(try await handle.result().succeededCount == 2)
        // A re-run finds nothing new either.
        world.advance(seconds: 600)
        #expect(try await world.batch().isEmpty)

        // A hiscores rollback takes Sam back under 99, then the hiscores recover: still one.
        world.server.set("Slayer Sam", on: .regular, sam.with(skill: "Slayer", xp: Self.ninetyEight))
        world.advance(seconds: 86_400)
        #expect(try await world.batch().isEmpty)
        world.server.set("Slayer Sam", on: .regular, sam.with(skill: "Slayer", xp: Self.ninetyNine + 9_000))
        world.advance(seconds: 86_400)
        #expect(try await world.batch().isEmpty)

        let stored = try await world.stored()
        #expect(stored.map(\.achievement.title) == ["99 Slayer"])
        let slayer = try #require(stored.first)
        #expect(slayer.accountName == "Slayer Sam")
        #expect(slayer.achievement.previous.at == firstBatchAt)
        #expect(slayer.achievement.reached.at == crashedAt)
        // The list the bot shows, and the announcer's cursor.
        let recent = try await AchievementService(store: world.fixture.store).recent(clanID: world.clanID, rsn: "slayer_sam")
        #expect(recent.achievements.map(\.id) == [slayer.id] && recent.total == 1 && recent.memberName == "Slayer Sam")
        let service = AchievementService(store: world.fixture.store)
        #expect(try await service.unannounced(clanID: world.clanID, after: 0).map(\.id) == [slayer.id])
        #expect(try await service.unannounced(clanID: world.clanID, after: slayer.id).isEmpty)
        await #expect(throws: ServiceError.self) { _ = try await service.recent(clanID: world.clanID, rsn: "Nobody Here") }
    }

    @Test(arguments: TestDatabaseBackend.all) func aMilestoneFirstSeenAfterARollbackDipIsNotAwarded(_ backend: TestDatabaseBackend) async throws {
        // Already past 99 on the first snapshot (never awarded: nothing to compare with), then a dip and recovery:
        // the recovery is measured from the last snapshot that was not a rollback, so nothing is awarded.
        let world = try await World.make(backend, members: ["Old Timer"])
        defer { world.tearDown() }
        let player = HiscoresFixture.Player.typical(seed: 4).with(skill: "Slayer", xp: Self.ninetyNine + 1_000)
        world.server.set("Old Timer", on: .regular, player)
        _ = try await world.snapshots.snapshot(name: "Old Timer", board: .regular)
        world.advance(seconds: 3_600)
        world.server.set("Old Timer", on: .regular, player.with(skill: "Slayer", xp: Self.ninetyEight))
        let dip = try await world.snapshots.snapshot(name: "Old Timer", board: .regular)
        #expect(dip.snapshot.isRollback)
        world.advance(seconds: 3_600)
        world.server.set("Old Timer", on: .regular, player.with(skill: "Slayer", xp: Self.ninetyNine + 2_000))
        let back = try await world.snapshots.snapshot(name: "Old Timer", board: .regular)
        #expect(back.achievements.isEmpty)
        #expect(try await world.stored().isEmpty)
    }
}
