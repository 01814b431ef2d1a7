import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// `/clan rename` underneath: a name change keeps the history, shows at once in cached boards, and refuses
/// names that are not the clan's.
@Suite(.databaseTests) struct ClanRenameServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func aRenamedMemberKeepsTheirGainsAndTheCachedBoardIsRebuilt(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let leaderboards = LeaderboardService(store: june.fixture.store)
        let before = try await leaderboards.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe)
        let alice = try #require(before.rows.first { $0.name == "Alice" })

        let clans = ClanService(store: june.fixture.store)
        let renamed = try await clans.renameMember(clanID: june.clanID, from: "alice", to: "Alice_Two")
        #expect(renamed.previousName == "Alice" && renamed.account.displayName == "Alice_Two")

        let after = try await leaderboards.leaderboard(clanID: june.clanID, metric: .xpGained, timeframe: june.timeframe)
        #expect(!after.rows.contains { $0.name == "Alice" })
        let renamedRow = try #require(after.rows.first { $0.name == "Alice_Two" })
        #expect(renamedRow.value == alice.value && renamedRow.rank == alice.rank)
    }

    @Test(arguments: TestDatabaseBackend.all) func onlyTheClansOwnMembersCanBeRenamedAndNamesAreChecked(_ backend: TestDatabaseBackend) async throws {
        let june = try await JuneClan.make(backend)
        defer { june.fixture.remove() }
        let clans = ClanService(store: june.fixture.store)
        _ = try await june.fixture.account("Stranger")
        await #expect(throws: ServiceError.invalidRequest("Stranger is not a member of Iron Wolves; check the old name's spelling")) {
            _ = try await clans.renameMember(clanID: june.clanID, from: "Stranger", to: "Stranger Two")
        }
        await #expect(throws: ServiceError.self) { _ = try await clans.renameMember(clanID: june.clanID, from: "Alice", to: "thirteen chars") }
        // A former member's history can follow their name too.
        let renamed = try await clans.renameMember(clanID: june.clanID, from: "Frank", to: "Frank Two")
        #expect(renamed.account.displayName == "Frank Two")
    }
}
