import Storage

enum MigrateCommand {
    static let subcommand = Subcommand(
        name: "migrate",
        summary: "create or upgrade the database and print its schema version",
        usage: """
        Usage: clanbot migrate [--db PATH]

        Creates the SQLite database at CLANBOT_DB (or --db) when it is missing, applies the
        schema migrations it lacks, each in its own transaction, and prints the schema version.
        Running it again on an up-to-date database changes nothing. Safe while the bot runs.
        """
    ) { context in
        guard context.arguments.isEmpty else {
            throw CommandLineError.usage("migrate takes no arguments besides --db (got: \(context.arguments.joined(separator: " ")))")
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
