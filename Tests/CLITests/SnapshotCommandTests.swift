import Domain
import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

/// Drives `clanbot` in-process against a temporary database and the fake hiscores server.
struct CLIEnvironment {
    let files: TemporaryDirectory
    let server: FakeHiscoresServer

    init() throws {
        files = try TemporaryDirectory("cli")
        server = try FakeHiscoresServer()
    }

    var environment: [String: String] {
        ["CLANBOT_DB": files.path(), "OSRS_HISCORES_BASE": server.baseURL]
    }

    /// Runs `clanbot` with `arguments`; returns the exit status and what it printed.
    func run(_ arguments: [String]) async -> (status: Int32, out: String, err: String) {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: arguments, environment: environment, output: output)
        return (status, output.standardOutput, output.standardError)
    }

    func close() {
        server.stop()
    }
}

@Suite struct SnapshotCommandTests {
    @Test func snapshotPrintsTheSkillsAndTheChangeSinceLastTime() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let player = HiscoresFixture.Player.typical(seed: 11)
        env.server.set("Zezima", on: .regular, player)
        let first = await env.run(["snapshot", "Zezima", "--board", "regular", "--rate", "100"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("Zezima — regular board"))
        #expect(first.out.contains("Attack"))
        env.server.set("Zezima", on: .regular, player.with(skill: "Attack", xp: 14_000_000))
        let second = await env.run(["snapshot", "zezima", "--board", "regular", "--rate", "100"])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.contains("Since the previous snapshot"))
        let gained = 14_000_000 - (player.record.skill(named: "Attack")?.xp ?? 0)
        #expect(second.out.contains(TextTable.number(gained)))
    }

    @Test func anUnknownPlayerOrBoardIsExplained() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        let missing = await env.run(["snapshot", "Nobody", "--board", "regular"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("not on the regular hiscores"))
        let board = await env.run(["snapshot", "Nobody", "--board", "iron"])
        #expect(board.status == 64)
        #expect(board.err.contains("unknown board 'iron'"))
        let name = await env.run(["snapshot", "this name is far too long"])
        #expect(name.status != 0)
        #expect(!name.err.isEmpty)
    }

    @Test func clanSnapshotReportsEachMemberAndFlagsFailures() async throws {
        let env = try CLIEnvironment()
        defer { env.close() }
        _ = await env.run(["clan", "create", "Wolves", "--mode", "regular"])
        _ = await env.run(["clan", "add", "wolves", "Alpha", "Bravo", "Ghost"])
        env.server.set("Alpha", on: .regular, .typical(seed: 1))
        env.server.set("Bravo", on: .regular, .typical(seed: 2))
        let result = await env.run(["clan", "snapshot", "wolves", "--rate", "100"])
        #expect(result.status == 3, "\(result.err)")
        #expect(result.out.contains("Alpha: ok"))
        #expect(result.out.contains("Ghost: FAILED"))
        #expect(result.out.contains("partial — 2 of 3 fetched"))
        let show = await env.run(["clan", "show", "wolves"])
        #expect(show.out.contains("partial"))
        let started = result.out.split(separator: "\n").first { $0.hasPrefix("Batch ") && $0.contains(" started for ") }
        let jobID = started?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let job = await env.run(["clan", "job", jobID])
        #expect(job.status == 0, "\(job.err)")
        #expect(job.out.contains("Ghost   failed"))
        #expect(job.out.contains("not on the regular hiscores"))
        let missing = await env.run(["clan", "job", "nope"])
        #expect(missing.status != 0)
    }
}
