import Foundation
import Storage

enum MigrateCommand {
    static let subcommand = Subcommand(
        name: "migrate",
        summary: "create or upgrade the database and print its schema version; or copy a SQLite database into PostgreSQL",
        usage: """
        Usage: clanbot migrate [--db DATABASE]
               clanbot migrate --from PATH.sqlite [--db postgres://...]

        Creates the database at CLANBOT_DB (or --db) when it is missing, applies the schema migrations
        it lacks, each in its own transaction, and prints the schema version. Running it again on an
        up-to-date database changes nothing. Safe while the bot runs. CLANBOT_DB is a SQLite file, or
        a PostgreSQL database given as postgres://user:password@host:port/database?sslmode=verify-full.

        With --from, CLANBOT_DB must be an empty PostgreSQL database: the SQLite database at PATH (at
        this build's schema version; stop the bot first) is copied into it, table by table in one
        transaction, and each table's row count and digest are compared on both sides before the
        copy is committed. A target that already holds rows is refused and left as it was.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: ["from"])
        guard arguments.positionals.isEmpty else {
            throw CommandLineError.usage("migrate takes no arguments besides --db and --from (got: \(arguments.positionals.joined(separator: " ")))")
        }
        if let from = arguments.values["from"] {
            return await copy(from: from, context: context)
        }
        let location = context.configuration.databasePath
        let path = SQLDialect.displayName(of: location)
        let migrator = Migrator()
        do {
            let database = try Database(path: location)
            defer { try? database.close() }
            let before = try migrator.currentVersion(of: database)
            let applied = try migrator.migrate(database)
            let after = try migrator.currentVersion(of: database)
            context.output.print(report(path: path, before: before, after: after, applied: applied))
            return 0
        } catch let error as DatabaseError {
            // A runtime failure, not a usage mistake: exit 1 (CommandLineError would exit 64).
            context.output.error("clanbot migrate: the database at \(path) could not be migrated: \(error)")
            return 1
        } catch let error as MigrationError {
            context.output.error("clanbot migrate: the database at \(path) was not changed further: \(error)")
            return 1
        }
    }

    /// `migrate --from PATH`: the SQLite database at PATH into the empty PostgreSQL database of CLANBOT_DB.
    static func copy(from path: String, context: Subcommand.Context) async -> Int32 {
        let location = context.configuration.databasePath
        let target = SQLDialect.displayName(of: location)
        guard SQLDialect(location: location) == .postgres else {
            context.output.error("clanbot migrate --from copies a SQLite database into PostgreSQL: set CLANBOT_DB (or --db) to a postgres:// URL of an empty database")
            return 1
        }
        guard SQLDialect(location: path) == .sqlite, FileManager.default.fileExists(atPath: path) else {
            context.output.error("clanbot migrate --from: there is no SQLite database at \(path)")
            return 1
        }
        do {
            // On the store's own thread: each PostgreSQL statement blocks the thread it runs on.
            let store = try await Store(path: location)
            let report = try await store.withoutTransaction { database in
                let source = try Database(path: path)
                defer { try? source.close() }
                return try DatabaseCopy(from: source, to: database).run()
            }
            try await store.close()
            context.output.print(copyReport(report, from: path, to: target))
            return 0
        } catch {
            context.output.error("clanbot migrate --from: \(path) was not copied into \(target): \(error)")
            return 1
        }
    }

    static func copyReport(_ report: DatabaseCopyReport, from path: String, to target: String) -> String {
        let width = report.tables.map(\.name.count).max() ?? 0
        var lines = ["Copied \(path) into \(target) (schema version \(report.schemaVersion)); every table matches on both sides:"]
        for table in report.tables {
            let name = table.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let rows = String(table.digest.rows)
            lines.append("  \(name)  \(String(repeating: " ", count: max(0, 9 - rows.count)))\(rows) rows  sha256 \(table.digest.hex.prefix(16))")
        }
        let total = report.tables.reduce(0) { $0 + $1.digest.rows }
        lines.append("\(total) rows in \(report.tables.count) tables. Done.")
        return lines.joined(separator: "\n")
    }

    static func report(path: String, before: Int, after: Int, applied: [Migration]) -> String {
        let names = applied.map { "\($0.version) (\($0.name))" }.joined(separator: ", ")
        if applied.isEmpty {
            return "The database at \(path) is up to date: schema version \(after). Nothing was changed."
        }
        if before == 0 {
            return "Created the database at \(path): schema version \(after). Applied migrations: \(names)."
        }
        return "Upgraded the database at \(path) from schema version \(before) to \(after). Applied migrations: \(names)."
    }
}
