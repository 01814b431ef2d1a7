import Testing
@testable import ClanbotCLI
import TestSupport

extension CapturedOutput: Output {}

@Suite struct ConfigurationTests {
    @Test func defaultsApplyWhenNothingIsSet() throws {
        var arguments: [String] = []
        let configuration = try Configuration.resolve(environment: [:], arguments: &arguments)
        #expect(configuration == .defaults)
        #expect(configuration.databasePath == "./clanbot.sqlite")
    }

    @Test func flagsOverrideTheEnvironmentAndLeaveTheRestForTheSubcommand() throws {
        var arguments = ["--db", "/tmp/a.sqlite", "clanname", "--hiscores-base=http://127.0.0.1:9"]
        let configuration = try Configuration.resolve(
            environment: ["CLANBOT_DB": "/tmp/env.sqlite", "DISCORD_TOKEN": "abc", "DRAND_BASE": "http://x"],
            arguments: &arguments
        )
        #expect(configuration.databasePath == "/tmp/a.sqlite")
        #expect(configuration.hiscoresBase == "http://127.0.0.1:9")
        #expect(configuration.discordToken == "abc")
        #expect(configuration.drandBase == "http://x")
        #expect(arguments == ["clanname"])
    }

    @Test func aFlagWithoutItsValueIsAClearError() {
        var arguments = ["--db"]
        #expect(throws: CommandLineError.missingValue(flag: "--db")) {
            try Configuration.resolve(environment: [:], arguments: &arguments)
        }
    }

    @Test func runWithoutATokenSaysWhatIsMissing() async {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["run"], environment: [:], output: output)
        #expect(status != 0)
        #expect(output.standardError.contains("DISCORD_TOKEN is not set"))
    }

    @Test func unknownCommandsPointToHelp() async {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["frobnicate"], environment: [:], output: output)
        #expect(status == 64)
        #expect(output.standardError.contains("clanbot --help"))
    }

    @Test func helpListsEveryCommandAndEveryVariable() async {
        let output = CapturedOutput()
        _ = await CommandLineTool.main(arguments: ["--help"], environment: [:], output: output)
        for command in CommandLineTool.subcommands { #expect(output.standardOutput.contains(command.name)) }
        for name in ["DISCORD_TOKEN", "DISCORD_API_BASE", "DISCORD_GUILD_ID", "OSRS_HISCORES_BASE", "CLANBOT_DB", "SSL_CERT_FILE", "DRAND_BASE"] {
            #expect(output.standardOutput.contains(name))
        }
    }
}
