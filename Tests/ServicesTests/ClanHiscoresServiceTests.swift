import DatabaseTestTraits
import Domain
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// The clan's hiscores against values worked out here from the generated month (`RecordsServiceTests.month`).
@Suite(.databaseTests) struct ClanHiscoresServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func membersRankByTheirLatestValueWithItsTime(_ backend: TestDatabaseBackend) async throws {
        let (fixture, clanID, values) = try await RecordsServiceTests.month(backend)
        defer { fixture.remove() }
        // A member never snapshotted, and one whose latest snapshot lacks Attack (unranked there).
        let newcomer = try await fixture.account("Newcomer")
        try await fixture.join(clanID, newcomer)
        let skiller = try await fixture.account("Skiller")
        try await fixture.join(clanID, skiller)
        try await fixture.snapshot(skiller, at: instant("2026-06-30T12:00:00Z"), skills: [("Overall", 30, 5_000), ("Attack", 1, -1)])
        let service = ClanHiscoresService(store: fixture.store)
        let attack = try await service.hiscores(clanID: clanID, metric: .skill("attack"))
        #expect(attack.metric == .skill("Attack"))
        let expected = values.map { ($0.key, $0.value.last ?? 0) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        #expect(attack.rows.prefix(4).map(\.name) == expected.map(\.0))
        #expect(attack.rows.prefix(4).map(\.value) == expected.map { Optional($0.1) })
        #expect(attack.rows.prefix(4).map(\.rank) == [1, 2, 3, 4])
        #expect(attack.rows.prefix(4).allSatisfy { $0.snapshotAt == instant("2026-06-30T18:00:00Z") && $0.level == 80 })
        #expect(attack.rows.last?.name == "Skiller" && attack.rows.last?.rank == nil && attack.rows.last?.value == nil)
        #expect(attack.withoutSnapshot.map(\.name) == ["Newcomer"])

        // Kill counts: everyone ended June on 39 Zulrah kills, so all four share rank 1, listed by name.
        let zulrah = try await service.hiscores(clanID: clanID, metric: .boss("zulrah"))
        #expect(zulrah.rows.prefix(4).map(\.name) == ["Ann", "Ben", "Cat", "Dee"])
        #expect(zulrah.rows.prefix(4).map(\.rank) == [1, 1, 1, 1])
        #expect(zulrah.rows.first?.value == 39)
        await #expect(throws: UnknownMetricRow.self) { _ = try await service.hiscores(clanID: clanID, metric: .boss("Nobody Kills This")) }
    }
}
