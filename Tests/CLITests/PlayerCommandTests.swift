import Domain
import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

@Suite struct PlayerCommandTests {
    @Test func playerPrintsTheProfileAndSaysWhoTheHiscoresDoNotKnow() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let expected = await StatsCommandTests().clanWithTwoBatches(env)
        let alpha = await env.run(["player", "owls", "alpha"])
        #expect(alpha.status == 0, "\(alpha.err)")
        #expect(alpha.out.contains("Alpha — Owls (member)"))
        #expect(alpha.out.contains("Hiscores: listed at the last snapshot"))
        #expect(alpha.out.contains("2 snapshots"))
        #expect(alpha.out.contains("+\(TextTable.number(expected.alphaXP)) xp"), "\(alpha.out)")
        #expect(alpha.out.contains("  Zulrah +\(expected.zulrah)"))
        // Quiet is on no board: both batches were told so.
        let quiet = await env.run(["player", "owls", "Quiet"])
        #expect(quiet.status == 0 && quiet.out.contains("Hiscores: NOT listed at the last lookup") && quiet.out.contains("never found"), "\(quiet.out)")
        #expect(quiet.out.contains("No snapshot yet"))
        let stranger = await env.run(["player", "owls", "Nobody"])
        #expect(stranger.status == 1 && stranger.err.contains("Nobody is not a member of Owls"))
        let usage = await env.run(["player", "owls"])
        #expect(usage.status == 64 && usage.err.contains("player takes a clan and a RuneScape name"))
    }
}
