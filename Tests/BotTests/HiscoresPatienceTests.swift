import Bot
import Discord
import Domain
import Foundation
import Hiscores
import Services
import Testing
import TestSupport

/// An interactive command never waits on a hanging hiscores for longer than its patience; batch runs keep retrying.
@Suite struct HiscoresPatienceTests {
    @Test func aPlayerLookupGivesUpOnAHangingHiscoresAndSaysSo() async throws {
        let bot = try BotHarness(hiscoresPatience: .seconds(1))
        try await bot.seedClan()
        // Answers only after 30 s, on every board.
        for board in HiscoresBoard.allCases {
            bot.hiscores.script("Mem Ber", on: board, [HiscoresFixture.Player.typical(seed: 1).json].map { .json($0).delayed(by: .seconds(30)) })
        }
        let started = ContinuousClock.now
        let answer = try await bot.command("snapshot player", ["rsn": "Mem Ber"], as: .member)
        let waited = ContinuousClock.now - started
        // Far below the hiscores' 30 s, with room for a loaded machine.
        #expect(waited < .seconds(20), "answered after \(waited)")
        #expect(answer.lastText.contains("The hiscores did not answer in 1 s; try again in a minute"))
        #expect(answer.lastIsEphemeral)
    }

    @Test func interactiveCommandsWaitTwelveSecondsAtMost() {
        #expect(SnapshotService.interactivePatience == .seconds(12))
        #expect(BotEnvironment.defaultHiscoresPatience == .seconds(12))
        #expect(HiscoresError.noAnswer(within: .seconds(12)).description == "the hiscores did not answer in 12 s; try again in a minute")
    }
}
