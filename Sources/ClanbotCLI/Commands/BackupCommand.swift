import Foundation
import Storage

/// `clanbot backup PATH`: a consistent, checked copy of the database, taken while the bot keeps running.
enum BackupCommand {
    static let subcommand = Subcommand(
        name: "backup",
        summary: "copy the database to a file while the bot keeps running, and check the copy",
        usage: """
        Usage: clanbot backup PATH [--overwrite] [--db DATABASE]

        Copies the database at CLANBOT_DB (or --db) to PATH while the bot keeps running and writing.
        SQLite's online backup reads one consistent state, so the copy holds every change committed
        before it finished. The copy is checked (PRAGMA integrity_check) before 'done' is printed; if
        anything fails, nothing is left at PATH. An existing PATH is refused unless --overwrite is given.
        Run it as the user the bot runs as (with the systemd unit: sudo -u clanbot clanbot backup PATH).

        To restore a backup: stop the bot, copy the backup over the CLANBOT_DB file, delete the
        CLANBOT_DB-wal and CLANBOT_DB-shm files beside it, run 'clanbot migrate', start the bot.
        A PostgreSQL database (CLANBOT_DB=postgres://...) is backed up with pg_dump instead.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, switches: ["overwrite"])
        guard arguments.positionals.count == 1, let path = arguments.positionals.first, !path.isEmpty else {
            throw CommandLineError.usage(
                arguments.positionals.isEmpty ? "backup needs the path of the file to write, e.g. clanbot backup /var/backups/clanbot.sqlite"
                    : "backup takes one path (got: \(arguments.positionals.joined(separator: " ")))")
        }
        let source = context.configuration.databasePath
        guard SQLDialect(location: source) == .sqlite else {
            context.output.error("""
                clanbot backup: CLANBOT_DB is a PostgreSQL database, and this command copies SQLite files. \
                Back PostgreSQL up with its own tools, e.g. pg_dump --format=custom --file=clanbot.dump DATABASE (see the README).
                """)
            return 1
        }
        let options = BackupOptions(overwrite: arguments.switches.contains("overwrite"))
        let report = try await DatabaseBackup.run(databaseAt: source, to: path, options: options)
        context.output.print("Backed up \(source) to \(report.path): \(describe(bytes: report.bytes)), integrity check ok. Done.")
        return 0
    }

    static func describe(bytes: Int64) -> String {
        switch bytes {
        case ..<1_024: "\(bytes) bytes"
        case ..<1_048_576: String(format: "%.1f KB", Double(bytes) / 1_024)
        default: String(format: "%.1f MB", Double(bytes) / 1_048_576)
        }
    }
}
