import Foundation
import Discord
import Testing
import TestSupport
@testable import ClanbotCLI

/// `clanbot register-commands` against the fake Discord's REST API.
@Suite struct RegisterCommandsTests {
    static let commands = """
        [
          {"name": "leaderboard", "description": "Show the clan's top players",
           "options": [{"type": 3, "name": "skill", "description": "Which skill", "required": false, "autocomplete": true}]},
          {"name": "contest", "description": "Run clan contests", "default_member_permissions": "32",
           "options": [{"type": 1, "name": "draw", "description": "Draw the winner"}]}
        ]
        """

    /// A fake whose command list starts empty and is replaced by each PUT, answered the way Discord does
    /// (ids, versions and defaults added).
    static func makeDiscord() throws -> FakeDiscord {
        let discord = try FakeDiscord { _ in }
        let stored = LockedValue<[String: String]>([:])  // path → registered JSON array
        discord.router.route("GET", "/api/v10/applications/@me") { _ in .json(#"{"id":"1234","name":"clanbot-test"}"#) }
        for path in ["/api/v10/applications/1234/commands", "/api/v10/applications/1234/guilds/555/commands"] {
            discord.router.route("GET", path) { _ in .json(stored.value[path] ?? "[]") }
            discord.router.route("PUT", path) { request in
                guard let sent = try? JSONSerialization.jsonObject(with: request.body) as? [[String: Any]] else {
                    return .json(#"{"code":50035,"message":"Invalid Form Body"}"#, status: 400)
                }
                let registered = sent.enumerated().map { index, command -> [String: Any] in
                    var command = command
                    command["id"] = "90000\(index)"
                    command["application_id"] = "1234"
                    command["version"] = "1"
                    command["type"] = command["type"] ?? 1
                    command["nsfw"] = false
                    if command["default_member_permissions"] == nil { command["default_member_permissions"] = NSNull() }
                    if var options = command["options"] as? [[String: Any]] {
                        // Discord leaves out "required" when it is false.
                        for i in options.indices where options[i]["required"] as? Bool == false { options[i].removeValue(forKey: "required") }
                        command["options"] = options
                    }
                    return command
                }
                let text = String(decoding: (try? JSONSerialization.data(withJSONObject: registered)) ?? Data("[]".utf8), as: UTF8.self)
                stored.withLock { $0[path] = text }
                return .json(text)
            }
        }
        return discord
    }

    /// This test's directory, for the commands file.
    let files: TemporaryDirectory

    init() throws { files = try TemporaryDirectory("register") }

    func writeCommands(_ text: String = Self.commands) throws -> String {
        try files.write("commands.json", text)
    }

    func run(_ discord: FakeDiscord, _ arguments: [String], guild: String? = nil) async -> (Int32, CapturedOutput) {
        let output = CapturedOutput()
        var environment = ["DISCORD_TOKEN": "reg-token", "DISCORD_API_BASE": discord.apiBase]
        environment["DISCORD_GUILD_ID"] = guild
        let status = await CommandLineTool.main(arguments: ["register-commands"] + arguments, environment: environment, output: output)
        return (status, output)
    }

    @Test func registersGloballyThenSaysUpToDateTheSecondTime() async throws {
        let discord = try Self.makeDiscord()
        let file = try writeCommands()
        let (first, firstOutput) = await run(discord, ["--file", file])
        #expect(first == 0, "\(firstOutput.standardError)")
        #expect(firstOutput.standardOutput.contains("Registered 2 commands globally"))
        #expect(firstOutput.standardOutput.contains("leaderboard, contest"))

        let (second, secondOutput) = await run(discord, ["--file=\(file)"])
        #expect(second == 0)
        #expect(secondOutput.standardOutput.contains("Up to date"))
        let puts = discord.restRequests.filter { $0.method == "PUT" }
        #expect(puts.count == 1)
        #expect(puts.first?.headers["Authorization"] == "Bot reg-token")
        let sent = try JSONSerialization.jsonObject(with: puts.first?.body ?? Data()) as? [[String: Any]]
        #expect(sent?.map { $0["name"] as? String } == ["leaderboard", "contest"])
    }

    @Test func aChangedFileIsRegisteredAgain() async throws {
        let discord = try Self.makeDiscord()
        _ = await run(discord, ["--file", try writeCommands()])
        let changed = Self.commands.replacingOccurrences(of: "Show the clan's top players", with: "Top players")
        let (status, output) = await run(discord, ["--file", try writeCommands(changed)])
        #expect(status == 0)
        #expect(output.standardOutput.contains("Registered 2 commands"))
        #expect(discord.restRequests.filter { $0.method == "PUT" }.count == 2)
    }

    @Test func withAGuildIdTheGuildsCommandsAreReplaced() async throws {
        let discord = try Self.makeDiscord()
        let (status, output) = await run(discord, ["--file", try writeCommands()], guild: "555")
        #expect(status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("in guild 555"))
        #expect(discord.restRequests.contains { $0.method == "PUT" && $0.path == "/api/v10/applications/1234/guilds/555/commands" })
    }

    @Test func badFilesAreClearErrorsAndNothingIsSent() async throws {
        let discord = try Self.makeDiscord()
        let cases: [(String?, String)] = [
            (nil, "cannot read"),
            ("{\"name\": \"x\"}", "JSON array"),
            ("[{\"description\": \"no name\"}]", "no \"name\""),
            ("[{\"name\": \"a\"}, {\"name\": \"a\"}]", "appears twice"),
            ("not json", "not valid JSON"),
        ]
        for (content, message) in cases {
            let file = try content.map { try writeCommands($0) } ?? "/nonexistent/commands.json"
            let (status, output) = await run(discord, ["--file", file])
            #expect(status == CommandLineError.configurationExitStatus)
            #expect(output.standardError.contains(message), "\(output.standardError)")
        }
        #expect(discord.restRequests.isEmpty)
    }

    @Test func aRejectedTokenSaysWhatToDo() async throws {
        let discord = try FakeDiscord { _ in }
        discord.router.route("GET", "/api/v10/applications/@me") { _ in .json(#"{"message":"401: Unauthorized","code":0}"#, status: 401) }
        let (status, output) = await run(discord, ["--file", try writeCommands()])
        #expect(status == 1)
        #expect(output.standardError.contains("DISCORD_TOKEN"))
    }

    @Test func withoutATokenNothingHappens() async {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["register-commands"], environment: [:], output: output)
        #expect(status == CommandLineError.configurationExitStatus)
        #expect(output.standardError.contains("DISCORD_TOKEN is not set"))
    }

    @Test func matchingIgnoresWhatDiscordAddsButNotRealChanges() throws {
        let desired = try JSONDecoder().decode([Discord.JSONValue].self, from: Data(Self.commands.utf8))
        var registered = try JSONDecoder().decode([Discord.JSONValue].self, from: Data(Self.commands.utf8))
        #expect(RegisterCommandsCommand.matches(desired: desired, existing: registered))
        registered.removeLast()
        #expect(!RegisterCommandsCommand.matches(desired: desired, existing: registered))
        #expect(!RegisterCommandsCommand.covers(.object(["description": .string("a")]), .object(["description": .string("b")])))
        #expect(RegisterCommandsCommand.covers(.object(["required": .bool(false)]), .object([:])))
    }
}
