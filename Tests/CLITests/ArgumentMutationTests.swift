import Foundation
import Testing
@testable import ClanbotCLI
import TestSupport

/// Malformed command lines never crash or hang `clanbot`: seeded mutations of real command lines (words
/// dropped, repeated, swapped, cut short, replaced by huge numbers, empty or strange text) end in a typed
/// `CommandLineError` or a clear failure with a known exit status.
@Suite struct ArgumentMutationTests {
    static let commandLines: [[String]] = [
        ["clan", "create", "Iron Foundry", "--timezone", "Europe/London", "--slug", "iron", "--mode", "auto"],
        ["clan", "add", "iron", "Zezima", "Lynx Titan", "--role", "officer"],
        ["clan", "rename", "iron", "Zezima", "Zezima Two"], ["clan", "remove", "iron", "Lynx Titan"],
        ["clan", "list"], ["clan", "show", "iron"], ["clan", "job", "1"],
        ["clan", "schedule", "iron", "--cron", "0 18 * * *", "--max-daily-runs", "2"],
        ["stats", "iron", "--timeframe", "2026-11-01..2026-11-30"],
        ["leaderboard", "iron", "--metric", "skill_xp", "--skill", "Slayer", "--timeframe", "30d"],
        ["contest", "create", "iron", "Summer", "--start", "2030-01-01T00:00:00Z", "--end", "2030-01-08T00:00:00Z", "--winners", "2", "--no-beacon"],
        ["contest", "edit", "1", "--name", "Winter", "--prize", "-", "--winners", "3"],
        ["contest", "rule", "1", "skill_xp", "150000", "--title", "Slayer", "--targets", "Slayer", "--weight", "2"],
        ["contest", "unrule", "1", "1"], ["contest", "list", "iron", "--status", "draft"], ["contest", "show", "1"],
        ["contest", "standings", "1"], ["contest", "cancel", "1", "--reason", "test"],
        ["verify", "--contest", "1", "--end-at-ms", "1700000000000", "--secret", "00", "--commitment", "00", "--no-beacon", "--entries", "/nonexistent"],
        ["migrate"], ["version"], ["help", "clan"], ["snapshot", "Zezima", "--board", "ironman"],
        ["register-commands", "--file", "/nonexistent/commands.json"],
    ]

    static let vocabulary = [
        "--db", "--timeframe", "--metric", "--winners", "--start", "--end", "--cron", "--role", "--help", "--overwrite",
        "--token", "--guild", "--status", "--reason", "--shards", "--compress", "iron", "1", "Zezima",
    ]

    static let exitStatuses: Set<Int32> = [0, 1, 64, 78]

    @Test(arguments: [UInt64(31), 32])
    func mutatedCommandLinesEndWithAKnownStatus(seed: UInt64) async throws {
        let directory = try TemporaryDirectory("argfuzz")
        let environment = [
            "CLANBOT_DB": directory.path(),
            // Nothing listens there: anything that reaches for the network fails at once.
            "OSRS_HISCORES_BASE": "http://127.0.0.1:9", "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10", "DRAND_BASE": "http://127.0.0.1:9",
        ]
        for line in Self.commandLines.prefix(3) {
            _ = await CommandLineTool.main(arguments: line, environment: environment, output: CapturedOutput())
        }
        var mutator = Mutator(seed: seed)
        for index in 0..<150 {
            var arguments = mutator.mutate(arguments: Self.commandLines[mutator.pick(Self.commandLines.count)], vocabulary: Self.vocabulary)
            // `run` serves until stopped, and --db or a wrong path could reach outside the test's directory.
            if arguments.first == "run" { arguments[0] = "version" }
            arguments = arguments.filter { !$0.hasPrefix("--db") && !$0.hasPrefix("--token") }
            let output = CapturedOutput()
            let line = arguments
            guard let status = try await within(seconds: 30, {
                await CommandLineTool.main(arguments: line, environment: environment, output: output)
            }) else {
                Issue.record("no exit within 30 s: \(line)")
                continue
            }
            #expect(Self.exitStatuses.contains(status), "case \(index) of seed \(seed): \(arguments) exited \(status)")
            if status != 0 {
                #expect(output.standardError.hasPrefix("clanbot"), "case \(index) of seed \(seed): \(arguments): \(output.standardError)")
            }
        }
    }

    @Test(arguments: [UInt64(41), 42])
    func mutatedArgumentsParseOrGiveATypedError(seed: UInt64) async {
        let problems = await offThePool { () -> [String] in
            var mutator = Mutator(seed: seed)
            var problems: [String] = []
            let options: Set<String> = ["timeframe", "metric", "winners", "start", "end", "shards", "role"]
            for _ in 0..<1_000 {
                var arguments = mutator.mutate(arguments: Self.commandLines[mutator.pick(Self.commandLines.count)], vocabulary: Self.vocabulary)
                let original = arguments
                do throws(CommandLineError) {
                    let parsed = try CommandArguments(arguments, options: options, switches: ["overwrite", "compress", "no-beacon"])
                    if parsed.positionals.count + parsed.values.count + parsed.switches.count > arguments.count {
                        problems.append("\(original) parsed into more than it holds")
                    }
                } catch {
                    if error.description.isEmpty { problems.append("\(original): an empty error") }
                }
                do throws(CommandLineError) {
                    _ = try Configuration.resolve(environment: ["CLANBOT_DB": "x"], arguments: &arguments)
                } catch {
                    if error.exitStatus != 64 && error.exitStatus != 78 { problems.append("\(original): \(error)") }
                }
                do throws(CommandLineError) {
                    _ = try RunCommand.parse(arguments)
                } catch {
                    if error.description.isEmpty { problems.append("\(original): an empty error") }
                }
            }
            return problems
        }
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
    }
}
