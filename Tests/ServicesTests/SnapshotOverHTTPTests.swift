import DatabaseTestTraits
import Domain
import Foundation
import Hiscores
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// Snapshots and batches against the local fake hiscores server, over real HTTP.
@Suite(.databaseTests) struct SnapshotOverHTTPTests {
    func client(_ server: FakeHiscoresServer, requestsPerSecond: Double = 1_000) throws -> HiscoresClient {
        HiscoresClient(http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: requestsPerSecond),
                       configuration: .init(baseURL: server.baseURL, timeout: .seconds(5), maxAttempts: 2,
                                            retryDelay: .milliseconds(10), maxRetryDelay: .milliseconds(20)))
    }

    @Test(arguments: TestDatabaseBackend.all) func batchWithMembersMissingAndFailingIsPartialWithEachFlagged(_ backend: TestDatabaseBackend) async throws {
        let server = try FakeHiscoresServer()
        defer { server.stop() }
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let clanID = try await fixture.clan("Http Clan", mode: .board(.regular))
        let names = ["Alpha", "Bravo", "Charlie", "Delta", "Ghost", "Broken"]
        for name in names { try await fixture.join(clanID, try await fixture.account(name)) }
        for (seed, name) in ["Alpha", "Bravo", "Charlie", "Delta"].enumerated() {
            server.set(name, on: .regular, .typical(seed: UInt64(seed + 1)))
        }
        // Ghost is on no board (404); Broken's hiscores answer 500 every time.
        server.script("Broken", on: .regular, [.status(500)])
        let snapshots = SnapshotService(store: fixture.store, hiscores: try client(server))
        let batches = BatchSnapshotService(store: fixture.store, snapshotter: snapshots, concurrency: 3)
        let log = ProgressLog()
        let handle = try await batches.start(clanID: clanID, requestedBy: "operator") { await log.add($0) }
        let run = try await handle.result()
        #expect(run.status == .partial)
        #expect(run.memberCount == 6)
        #expect(run.succeededCount == 4)
        #expect(run.failedCount == 2)
        let members = try await batches.status(jobID: handle.jobID)?.members ?? []
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.displayName, $0) })
        #expect(byName["Ghost"]?.status == .failed)
        #expect(byName["Ghost"]?.errorKind == "not_found")
        #expect(byName["Ghost"]?.error?.contains("not on the regular hiscores") == true)
        #expect(byName["Broken"]?.errorKind == "unavailable")
        #expect(byName["Broken"]?.error?.contains("HTTP 500") == true)
        #expect(members.filter { $0.status == .succeeded }.allSatisfy { $0.snapshotID != nil && $0.latencyMs != nil })
        #expect(await log.reports.count == 6)
        // Broken was retried once (maxAttempts 2): 4 + 1 + 2 requests.
        #expect(server.requests.count == 7)
        // Every skill and activity of the response was stored.
        let stored = try await fixture.store.read { db in
            try db.scalar("SELECT count(*) FROM snapshot_skills", as: Int.self)
        }
        #expect(stored == 4 * HiscoresFixture.skillNames.count)
    }

    @Test(arguments: TestDatabaseBackend.all) func anIronmanIsResolvedStoredAndReadFromItsOwnBoard(_ backend: TestDatabaseBackend) async throws {
        let server = try FakeHiscoresServer()
        defer { server.stop() }
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let player = HiscoresFixture.Player.typical(seed: 7)
        server.set("Iron Ore", on: .regular, player)
        server.set("Iron Ore", on: .ironman, player)
        let service = SnapshotService(store: fixture.store, hiscores: try client(server))
        let first = try await service.snapshot(name: "iron_ore")
        #expect(first.account.resolvedType == .ironman)
        #expect(first.snapshot.requestedBoard == .ironman)
        #expect(first.typeCheck != nil)
        #expect(first.previous == nil)
        let asked = server.requests.count
        // Checked less than 7 days ago: the second snapshot asks the ironman board only.
        server.set("Iron Ore", on: .ironman, player.with(skill: "Attack", xp: 13_034_431))
        let second = try await service.snapshot(name: "Iron Ore")
        #expect(second.typeCheck == nil)
        #expect(server.requests.count == asked + 1)
        #expect(second.delta?.skill(named: "Attack")?.xpGained == 13_034_431 - (player.record.skill(named: "Attack")?.xp ?? 0))
    }

    @Test(arguments: TestDatabaseBackend.all) func aHardcoreDeathIsNoticedOnTheWeeklyRecheck(_ backend: TestDatabaseBackend) async throws {
        let server = try FakeHiscoresServer()
        defer { server.stop() }
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let account = try await fixture.account("Brave Soul")
        try await fixture.store.write { db in
            _ = try db.accounts.updateResolvedType(accountID: account, to: .hardcore, checkedAt: Date().addingTimeInterval(-8 * 86_400))
        }
        // Died: still on the ironman board with everything, the hardcore board stopped counting.
        let player = HiscoresFixture.Player.typical(seed: 3)
        server.set("Brave Soul", on: .regular, player)
        server.set("Brave Soul", on: .ironman, player)
        server.set("Brave Soul", on: .hardcore, player.scalingXP(by: 0.5))
        let outcome = try await SnapshotService(store: fixture.store, hiscores: try client(server)).snapshot(name: "Brave Soul")
        #expect(outcome.typeChange == .hardcoreDied)
        #expect(outcome.account.resolvedType == .ironman)
    }

    @Test(arguments: TestDatabaseBackend.all) func anUnknownPlayerIsATypedErrorAndStoresNothing(_ backend: TestDatabaseBackend) async throws {
        let server = try FakeHiscoresServer()
        defer { server.stop() }
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        let service = SnapshotService(store: fixture.store, hiscores: try client(server))
        await #expect {
            _ = try await service.snapshot(name: "Nobody Here", board: .regular)
        } throws: { error in (error as? HiscoresError)?.isNotFound == true }
        await #expect {
            _ = try await service.snapshot(name: "bad!name")
        } throws: { error in (error as? HiscoresError)?.kind == "invalid_name" }
        #expect(server.requests.isEmpty == false)
        let count = try await fixture.store.read { db in try db.scalar("SELECT count(*) FROM snapshots", as: Int.self) }
        #expect(count == 0)
    }
}

/// A player looked up in the last minute is served from the stored snapshot instead of asking the hiscores again.
@Suite(.databaseTests) struct SnapshotFreshnessTests {
    @Test(arguments: TestDatabaseBackend.all) func aFreshSnapshotIsReusedUntilItIsAMinuteOld(_ backend: TestDatabaseBackend) async throws {
        let server = try FakeHiscoresServer()
        defer { server.stop() }
        let fixture = try await ServicesFixture(backend)
        defer { fixture.remove() }
        server.set("Alpha", on: .regular, .typical(seed: 1))
        let offset = LockedValue<TimeInterval>(0)
        let start = Date()
        let snapshots = SnapshotService(store: fixture.store, hiscores: try SnapshotOverHTTPTests().client(server),
                                        clock: { start.addingTimeInterval(offset.value) })
        let first = try await snapshots.snapshot(name: "Alpha", board: .regular, reusingWithin: SnapshotService.freshFor)
        #expect(!first.servedFromStore)
        let asked = server.requests.count
        offset.withLock { $0 = 59 }
        let reused = try await snapshots.snapshot(name: "alpha", board: .regular, reusingWithin: SnapshotService.freshFor)
        #expect(reused.servedFromStore && reused.snapshot.id == first.snapshot.id)
        #expect(server.requests.count == asked)
        // Another board is another lookup.
        server.set("Alpha", on: .ironman, .typical(seed: 1))
        let ironman = try await snapshots.snapshot(name: "Alpha", board: .ironman, reusingWithin: SnapshotService.freshFor)
        #expect(!ironman.servedFromStore)
        offset.withLock { $0 = 61 }
        let later = try await snapshots.snapshot(name: "Alpha", board: .regular, reusingWithin: SnapshotService.freshFor)
        #expect(!later.servedFromStore && later.snapshot.id != first.snapshot.id)
        #expect(later.previous?.id == ironman.snapshot.id)
    }
}
