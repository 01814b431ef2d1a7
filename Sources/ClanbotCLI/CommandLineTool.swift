import Foundation
import Threads
import Transport

/// The `clanbot` executable: picks the subcommand, resolves the configuration, reports errors plainly.
public enum CommandLineTool {
    public static let version = ClanbotVersion.current

    /// Every subcommand, in the order `--help` lists them.
    static var subcommands: [Subcommand] {
        [
            RunCommand.subcommand,
            RegisterCommandsCommand.subcommand,
            MigrateCommand.subcommand,
            BackupCommand.subcommand,
            VerifyCommand.subcommand,
            VerifyBeaconCommand.subcommand,
            SnapshotCommand.subcommand,
            ClanCommand.subcommand,
            StatsCommand.subcommand,
            LeaderboardCommand.subcommand,
            RecordsCommand.subcommand,
            PlayerCommand.subcommand,
            ContestCommand.subcommand,
            VersionCommand.subcommand,
        ]
    }

    public static func main(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        output: any Output = StandardOutput()
    ) async -> Int32 {
        guard let first = arguments.first, first != "--help", first != "-h", first != "help" else {
            if arguments.count >= 2, arguments[0] == "help", let command = subcommands.first(where: { $0.name == arguments[1] }) {
                output.print(command.usage)
            } else {
                output.print(helpText)
            }
            return 0
        }
        if first == "--version" {
            output.print("clanbot \(version)")
            return 0
        }
        guard let command = subcommands.first(where: { $0.name == first }) else {
            output.error("clanbot: " + CommandLineError.unknownSubcommand(first).description)
            return 64
        }
        var rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            output.print(command.usage)
            return 0
        }
        do {
            let configuration = try Configuration.resolve(environment: environment, arguments: &rest)
            return try await command.run(Subcommand.Context(configuration: configuration, arguments: rest, output: output))
        } catch let error as CommandLineError {
            output.error("clanbot \(command.name): \(error)")
            if case .usage = error { output.error("Run 'clanbot \(command.name) --help' for usage.") }
            return error.exitStatus
        } catch {
            output.error("clanbot \(command.name): \(error)")
            return 1
        }
    }

    /// For the `clanbot` executable, before `main`: few allocator arenas, so memory freed after a burst of
    /// commands goes back to the system (see `ProcessMemory`).
    public static func prepareProcess() {
        ProcessMemory.limitAllocatorArenas()
    }

    /// For the `clanbot` executable, after `main` and before `exit`: stops and joins every thread clanbot
    /// started (HTTP transfers, the database's, WebSocket I/O, a backup's), so none is inside libcurl, OpenSSL
    /// or SQLite while their exit handlers run (that ends in SIGSEGV, not the exit status `main` returned).
    /// False when one was still running after `timeout`. Not for tests, which share the process with other clients.
    @discardableResult
    public static func stopBackgroundThreads(timeout: Duration = .seconds(10)) -> Bool {
        BackgroundThreads.shared.stopAll(timeout: timeout)
    }

    static var helpText: String {
        let width = (subcommands.map(\.name.count).max() ?? 0) + 2
        var lines = [
            "clanbot \(version): a Discord bot for Old School RuneScape clans.",
            "",
            "Usage: clanbot <command> [options]",
            "",
            "Commands:",
        ]
        for command in subcommands {
            lines.append("  " + command.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary)
        }
        lines += [
            "",
            "Configuration (environment variable, or the flag to override it):",
        ]
        let flagWidth = max(17, (Configuration.settings.map(\.flag.count).max() ?? 0) + 1)
        let variableWidth = Configuration.settings.map(\.environment.count).max() ?? 20
        for setting in Configuration.settings {
            lines.append("  \(setting.environment.padding(toLength: variableWidth, withPad: " ", startingAt: 0)) \(setting.flag.padding(toLength: flagWidth, withPad: " ", startingAt: 0)) \(setting.help)")
        }
        lines += [
            "",
            "Keep the bot token off the command line: every local user can read --token in 'ps'. Set",
            "DISCORD_TOKEN (with systemd, in the environment file /etc/clanbot/clanbot.env), or use",
            "--token-file PATH, a file that holds only the token (readable by the bot's user alone).",
        ]
        lines += ["", "Run 'clanbot <command> --help' for a command's own options."]
        return lines.joined(separator: "\n")
    }
}
