import Discord
import Foundation
import Testing
import TestSupport
@testable import ClanbotCLI

/// The bot token stays secret: it can come from a file instead of the command line (where `ps` shows it),
/// and `clanbot run` never prints it, whether it connects or Discord refuses it.
@Suite struct TokenSecrecyTests {
    static let token = "MTE4MTM5MDc0MDQyNTgzNDU2Nw.GsEcRt.token-secrecy-0123456789abcdefghij"

    static func resolve(_ arguments: [String], environment: [String: String] = [:]) throws(CommandLineError) -> Configuration {
        var rest = arguments
        return try Configuration.resolve(environment: environment, arguments: &rest)
    }

    @Test(arguments: ["\n", "\r\n", "", "\n\n"])
    func theTokenFileIsReadWithItsTrailingNewlineTrimmed(ending: String) throws {
        let directory = try TemporaryDirectory("token")
        let path = try directory.write("token", Self.token + ending)
        #expect(try Self.resolve(["--token-file", path]).discordToken == Self.token)
        #expect(try Self.resolve(["--token-file=\(path)"], environment: ["DISCORD_TOKEN": "from-the-environment"]).discordToken == Self.token)
    }

    @Test func anUnreadableOrEmptyTokenFileIsAConfigurationError() throws {
        let directory = try TemporaryDirectory("token")
        let missing = directory.url.appendingPathComponent("absent").path
        for (arguments, words) in [
            (["--token-file", missing], ["cannot read '\(missing)'"]),
            (["--token-file", try directory.write("empty", "\n")], ["is empty"]),
            (["--token-file", try directory.write("blank", "   \n")], ["is empty"]),
            (["--token-file", try directory.write("two", "one\ntwo\n")], ["more than one line"]),
            (["--token-file", directory.url.path], ["cannot read"]),
        ] {
            do {
                _ = try Self.resolve(arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(error.exitStatus == CommandLineError.configurationExitStatus)
                for word in words { #expect(error.description.contains(word), "\(error)") }
                #expect(error.description.contains("--token-file"))
            }
        }
        #expect(throws: CommandLineError.missingValue(flag: "--token-file")) { _ = try Self.resolve(["--token-file"]) }
        let file = try directory.write("token", Self.token)
        #expect(throws: CommandLineError.usage("give --token or --token-file, not both")) {
            _ = try Self.resolve(["--token", "x", "--token-file", file])
        }
    }

    @Test func anUnreadableTokenFileStopsTheToolWithExit78() async throws {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["run", "--token-file", "/nonexistent/clanbot-token"], environment: [:], output: output)
        #expect(status == 78)
        #expect(output.standardError.contains("--token-file: cannot read '/nonexistent/clanbot-token'"))
    }

    @Test func helpRecommendsTheEnvironmentOrAFileOverTheFlag() async {
        let output = CapturedOutput()
        #expect(await CommandLineTool.main(arguments: ["--help"], environment: [:], output: output) == 0)
        let help = output.standardOutput
        #expect(help.contains("--token-file PATH"))
        #expect(help.contains("'ps'"))
        #expect(help.contains("DISCORD_TOKEN"))
        let run = CapturedOutput()
        _ = await CommandLineTool.main(arguments: ["run", "--help"], environment: [:], output: run)
        #expect(run.standardOutput.contains("--token-file PATH"))
    }

    /// `clanbot run` with the token from a file: Discord receives it, the log never shows it.
    @Test func runIdentifiesWithTheFilesTokenAndNeverPrintsIt() async throws {
        let directory = try TemporaryDirectory("token")
        let tokenFile = try directory.write("token", Self.token + "\n")
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "secret-session", sequence: 1)
            try connection.sendRaw(InteractionFixtures.slashCommand(sequence: 2, interactionID: "778", token: "secret-itok"))
            _ = try connection.serve(for: .seconds(20))
        }
        let callbacks = AsyncMailbox<Bool>()
        discord.router.route("POST", "/api/v10/interactions/778/secret-itok/callback") { _ in
            callbacks.send(true)
            return .status(204)
        }
        let files = try TemporaryDirectory("run")
        var environment = RunCommandTests.environment(discord, files)
        environment["DISCORD_TOKEN"] = nil
        let output = CapturedOutput()
        let context = try RunCommandTests.context(environment, ["--token-file", tokenFile], output: output)
        let (signals, trigger) = AsyncStream<String>.makeStream()
        let running = Task { try await RunCommand.run(context, shutdown: signals) }
        _ = try await callbacks.next("the interaction's callback") { $0 }
        trigger.yield("SIGTERM")
        #expect(try await running.value == 0)
        #expect(discord.received.first { $0.isIdentify }?.token == Self.token)
        #expect(discord.restRequests.allSatisfy { $0.headers["Authorization"] == "Bot \(Self.token)" })
        Self.expectNoToken(in: output)
        for request in discord.restRequests {
            #expect(!String(decoding: request.body, as: UTF8.self).contains(Self.token))
            #expect(!request.path.contains(Self.token))
        }
    }

    @Test func aRefusedTokenIsNotEchoed() async throws {
        let atGateway = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            connection.close(code: 4004, reason: "Authentication failed.")
        }
        let atREST = try FakeDiscord { _ in }
        atREST.answerGatewayBot(with: .json(#"{"message":"401: Unauthorized","code":0}"#, status: 401))
        for discord in [atGateway, atREST] {
            let files = try TemporaryDirectory("run")
            var environment = RunCommandTests.environment(discord, files)
            environment["DISCORD_TOKEN"] = Self.token
            let output = CapturedOutput()
            let (signals, _) = AsyncStream<String>.makeStream()
            let status = try await RunCommand.run(try RunCommandTests.context(environment, output: output), shutdown: signals)
            #expect(status == CommandLineError.configurationExitStatus)
            #expect(output.standardError.contains("DISCORD_TOKEN"))
            Self.expectNoToken(in: output)
        }
    }

    static func expectNoToken(in output: CapturedOutput, sourceLocation: SourceLocation = #_sourceLocation) {
        // The whole token, and its secret third part alone.
        for secret in [token, String(token.split(separator: ".").last ?? "")] {
            #expect(!output.standardOutput.contains(secret), sourceLocation: sourceLocation)
            #expect(!output.standardError.contains(secret), sourceLocation: sourceLocation)
        }
    }
}
