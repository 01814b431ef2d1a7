import Discord
import Foundation

/// `clanbot register-commands`: makes Discord's command list match commands.json, globally or in the
/// DISCORD_GUILD_ID guild. Compares first, so a second run changes nothing and says so.
enum RegisterCommandsCommand {
    static let subcommand = Subcommand(
        name: "register-commands",
        summary: "register the slash commands from commands.json with Discord",
        usage: """
        Usage: clanbot register-commands [--file PATH] [--guild GUILD_ID] [--token-file PATH]

        Replaces the application's slash commands with those in commands.json (a JSON array of
        command objects; --file to read another file). With DISCORD_GUILD_ID (or --guild) the
        commands are registered in that guild only, where they appear at once; without it they are
        global. When Discord already has exactly these commands, nothing is sent.
        Needs DISCORD_TOKEN (or --token-file).
        """
    ) { context in
        let file = try parseFile(context.arguments)
        _ = try RunCommand.requireToken(context.configuration)
        let guild = try context.configuration.discordGuildID.map { text throws(CommandLineError) in
            guard let id = Snowflake(text) else {
                throw .configuration("DISCORD_GUILD_ID must be a guild id (a number, from right-click → Copy Server ID); got '\(text)'")
            }
            return id
        }
        let commands = try loadCommands(file)
        let rest = try RunCommand.makeREST(context.configuration)
        do {
            let application = try await rest.currentApplication()
            let scope = guild.map { "in guild \($0)" } ?? "globally"
            let names = commands.compactMap { $0["name"]?.stringValue }
            let existing = try await rest.commands(application: application.id, guild: guild)
            if matches(desired: commands, existing: existing) {
                context.output.print("Up to date: Discord already has these \(commands.count) commands \(scope) for \(application.name): \(names.joined(separator: ", ")). Nothing was changed.")
                return 0
            }
            let body = try JSONEncoder().encode(commands)
            let registered = try await rest.bulkOverwriteCommands(application: application.id, guild: guild, commands: body)
            context.output.print("Registered \(registered.count) commands \(scope) for \(application.name): \(registered.map(\.name).joined(separator: ", ")).")
            if guild == nil {
                context.output.print("Global commands can take a few minutes to appear in every server.")
            }
            return 0
        } catch let error as DiscordRESTError {
            context.output.error("clanbot register-commands: \(RunCommand.explain(error))")
            return 1
        }
    }

    static let defaultFile = "commands.json"

    static func parseFile(_ arguments: [String]) throws(CommandLineError) -> String {
        let parsed = try CommandArguments(arguments, options: ["file"])
        if let extra = parsed.positionals.first {
            throw .usage("unexpected argument '\(extra)'; register-commands takes --file PATH (and the configuration flags)")
        }
        return parsed.values["file"] ?? defaultFile
    }

    /// Reads and checks the file: a JSON array of at most 100 objects, each with a name.
    static func loadCommands(_ path: String) throws(CommandLineError) -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read \(path): put the slash command definitions (a JSON array) there, or pass --file PATH")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .configuration("\(path) is not valid JSON: \(error.localizedDescription)")
        }
        guard case .array(let commands) = value else {
            throw .configuration("\(path) must hold a JSON array of command objects, e.g. [{\"name\": \"leaderboard\", \"description\": \"…\"}]")
        }
        guard commands.count <= 100 else {
            throw .configuration("\(path) has \(commands.count) commands; Discord allows at most 100 slash commands")
        }
        var seen = Set<String>()
        for (index, command) in commands.enumerated() {
            guard case .object = command, let name = command["name"]?.stringValue, !name.isEmpty else {
                throw .configuration("command \(index + 1) in \(path) has no \"name\"")
            }
            guard seen.insert(name).inserted else {
                throw .configuration("the command name '\(name)' appears twice in \(path)")
            }
        }
        return commands
    }

    /// True when every command in `desired` is registered with the same settings and nothing else is.
    /// Only the fields the file sets are compared (Discord adds ids, versions and defaults).
    static func matches(desired: [JSONValue], existing: [JSONValue]) -> Bool {
        guard desired.count == existing.count else { return false }
        for command in desired {
            let name = command["name"]?.stringValue
            guard let registered = existing.first(where: { $0["name"]?.stringValue == name }) else { return false }
            if !covers(command, registered) { return false }
        }
        return true
    }

    /// Whether `actual` has every field of `expected` with an equal value. A field left out by Discord
    /// counts as equal to its default (false, empty list, chat input type 1).
    static func covers(_ expected: JSONValue, _ actual: JSONValue?) -> Bool {
        switch (expected, actual) {
        case (.object(let wanted), .object(let have)):
            return wanted.allSatisfy { key, value in covers(value, have[key]) }
        case (.array(let wanted), .array(let have)):
            return wanted.count == have.count && zip(wanted, have).allSatisfy { covers($0, $1) }
        case (.bool(false), nil), (.array([]), nil), (.null, nil):
            return true
        case (.number(let wanted), .string(let have)):
            return Double(have) == wanted  // permissions may be written as a number
        case (.string(let wanted), .number(let have)):
            return Double(wanted) == have
        default:
            return expected == actual
        }
    }
}
