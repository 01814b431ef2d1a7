import Domain
import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

@Suite struct StatsCommandTests {
    /// Two batches of a three-member clan; between them Alpha trains Attack and kills Zulrah.
    func clanWithTwoBatches(_ env: CLIEnvironment) async -> (alphaXP: Int64, zulrah: Int) {
        _ = await env.run(["clan", "create", "Owls", "--mode", "regular", "--timezone", "America/New_York"])
        _ = await env.run(["clan", "add", "owls", "Alpha", "Bravo", "Quiet"])
        let alpha = HiscoresFixture.Player.typical(seed: 1).with(activity: "Zulrah", score: 40)
        env.server.set("Alpha", on: .regular, alpha)
        env.server.set("Bravo", on: .regular, .typical(seed: 2))
        _ = await env.run(["clan", "snapshot", "owls", "--rate", "100"])
        let attack = (alpha.record.skill(named: "Attack")?.xp ?? 0) + 250_000
        env.server.set("Alpha", on: .regular, alpha.with(skill: "Attack", xp: attack).with(activity: "Zulrah", score: 52))
        _ = await env.run(["clan", "snapshot", "owls", "--rate", "100"])
        return (250_000, 12)
    }

    @Test func statsShowTotalsPerformersAndBothKindsOfSlackers() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let expected = await clanWithTwoBatches(env)
        let stats = await env.run(["stats", "owls", "--timeframe", "7d"])
        #expect(stats.status == 0, "\(stats.err)")
        #expect(stats.out.contains("Total XP gained: \(TextTable.number(expected.alphaXP))"))
        #expect(stats.out.contains("Zulrah"))
        #expect(stats.out.contains("Bravo   no gain"))
        #expect(stats.out.contains("Quiet   no data in window"))
        let bad = await env.run(["stats", "owls", "--timeframe", "fortnight"])
        #expect(bad.status == 64)
        #expect(bad.err.contains("unknown timeframe"))
    }

    @Test func leaderboardRanksAndValidatesItsOptions() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let expected = await clanWithTwoBatches(env)
        let board = await env.run(["leaderboard", "owls", "--metric", "boss_kc", "--boss", "zulrah", "--timeframe", "mtd"])
        #expect(board.status == 0, "\(board.err)")
        #expect(board.out.contains("Zulrah kills"))
        let lines = board.out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("1  Alpha") && $0.contains("\(expected.zulrah)") })
        #expect(lines.contains { $0.hasPrefix("2  Bravo") })
        #expect(board.out.contains("No data in window: Quiet"))
        let xp = await env.run(["leaderboard", "owls", "--metric", "skill_xp", "--skill", "attack"])
        #expect(xp.out.contains(TextTable.number(expected.alphaXP)))
        let mismatched = await env.run(["leaderboard", "owls", "--metric", "xp_gained", "--boss", "Zulrah"])
        #expect(mismatched.status == 64)
        #expect(mismatched.err.contains("--boss does not apply"))
        let unknown = await env.run(["leaderboard", "owls", "--metric", "boss_kc", "--boss", "Zulr"])
        #expect(unknown.err.contains("Did you mean: Zulrah"))
    }

    @Test func recordsListEachPeriodsBestAndRefuseAnUnknownPeriod() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let expected = await clanWithTwoBatches(env)
        let records = await env.run(["records", "owls", "--metric", "skill_xp", "--skill", "Attack"])
        #expect(records.status == 0, "\(records.err)")
        for period in ["Best day:", "Best week:", "Best month:"] { #expect(records.out.contains(period)) }
        let lines = records.out.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("1  Alpha") && $0.contains(TextTable.number(expected.alphaXP)) }.count == 3)
        let day = await env.run(["records", "owls", "--metric", "boss_kc", "--boss", "zulrah", "--period", "day"])
        #expect(day.out.contains("Best day:") && !day.out.contains("Best week:"))
        let bad = await env.run(["records", "owls", "--metric", "xp_gained", "--period", "year"])
        #expect(bad.status == 64 && bad.err.contains("--period must be day, week or month"))
    }
}
