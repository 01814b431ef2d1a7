@testable import Domain
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

    @Test func drandPublicKeyDefaultsToQuicknetsAndCanBeReplaced() throws {
        var none: [String] = []
        #expect(try Configuration.resolve(environment: [:], arguments: &none).resolvedDrandPublicKey().isQuicknet)
        var fromEnvironment: [String] = []
        let configured = try Configuration.resolve(environment: ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex], arguments: &fromEnvironment)
        #expect(try configured.resolvedDrandPublicKey() == FakeDrandRelay.publicKey)
        var flag = ["--drand-public-key", DrandQuicknet.publicKey]
        let overridden = try Configuration.resolve(environment: ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex], arguments: &flag)
        #expect(try overridden.resolvedDrandPublicKey().isQuicknet)
        var bad: [String] = []
        let broken = try Configuration.resolve(environment: ["DRAND_PUBLIC_KEY": "80" + String(repeating: "00", count: 95)], arguments: &bad)
        #expect {
            _ = try broken.resolvedDrandPublicKey()
        } throws: { error in
            guard case .configuration(let message)? = error as? CommandLineError else { return false }
            return message.hasPrefix("DRAND_PUBLIC_KEY:") && message.contains("public key")
        }
    }

    @Test func runRefusesAnUnusableDrandPublicKeyAsAConfigurationError() async {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["run"], environment: ["DISCORD_TOKEN": "abc", "DRAND_PUBLIC_KEY": "abcd"], output: output)
        #expect(status == CommandLineError.configurationExitStatus)
        #expect(output.standardError.contains("DRAND_PUBLIC_KEY"))
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
        for name in ["DISCORD_TOKEN", "DISCORD_API_BASE", "DISCORD_GUILD_ID", "OSRS_HISCORES_BASE", "CLANBOT_DB", "SSL_CERT_FILE", "DRAND_BASE",
                     "CLANBOT_WEBHOOK_ALLOW_LOOPBACK"] {
            #expect(output.standardOutput.contains(name + " "))
        }
    }

    @Test func webhookLoopbackIsOffUnlessSetToOne() throws {
        func allows(_ environment: [String: String], _ flags: [String] = []) throws -> Bool {
            var arguments = flags
            return try Configuration.resolve(environment: environment, arguments: &arguments).allowsLoopbackWebhooks
        }
        #expect(try allows([:]) == false)
        #expect(try allows(["CLANBOT_WEBHOOK_ALLOW_LOOPBACK": "0"]) == false)
        #expect(try allows(["CLANBOT_WEBHOOK_ALLOW_LOOPBACK": "1"]) == true)
        #expect(try allows([:], ["--webhook-loopback", "1"]) == true)
        #expect(throws: CommandLineError.self) { try allows(["CLANBOT_WEBHOOK_ALLOW_LOOPBACK": "maybe"]) }
    }
}
