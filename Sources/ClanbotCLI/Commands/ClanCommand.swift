import Domain
import Foundation
import Services
import Storage

/// `clanbot clan …`: what an operator needs to set a clan up and run it by hand.
enum ClanCommand {
    static let subcommand = Subcommand(
        name: "clan",
        summary: "create clans, add, remove or rename members, set the schedule, run a batch snapshot, show a clan",
        usage: """
        Usage: clanbot clan create <name> [--slug SLUG] [--timezone ZONE] [--mode auto|BOARD] [--guild ID]
               clanbot clan add <clan> <rsn> [<rsn> ...] [--role member|officer|leader]
               clanbot clan remove <clan> <rsn>
               clanbot clan rename <clan> <old-rsn> <new-rsn>
               clanbot clan list
               clanbot clan show <clan>
               clanbot clan schedule <clan> --cron "MIN HOUR DOM MON DOW" [--max-daily-runs 1|2] [--disable]
               clanbot clan snapshot <clan> [--board BOARD] [--concurrency N] [--rate N]
               clanbot clan job <job-id>

        <clan> is the clan's id, slug or name. ZONE is an IANA name (default UTC); schedules and
        month-to-date stats are read in it. The guild is DISCORD_GUILD_ID (or --guild), else 0;
        when it is set, only that guild's clans are found.
        """
    ) { context in
        guard let action = context.arguments.first else {
            throw CommandLineError.usage("clan needs an action: create, add, remove, list, show, schedule, snapshot or job")
        }
        let rest = Array(context.arguments.dropFirst())
        switch action {
        case "create": return try await create(context, rest)
        case "add": return try await add(context, rest)
        case "remove": return try await remove(context, rest)
        case "rename": return try await rename(context, rest)
        case "list": return try await list(context, rest)
        case "show": return try await show(context, rest)
        case "schedule": return try await schedule(context, rest)
        case "snapshot": return try await ClanSnapshotCommand.run(context, rest)
        case "job": return try await ClanSnapshotCommand.job(context, rest)
        default:
            throw CommandLineError.usage("unknown clan action '\(action)'; use create, add, remove, rename, list, show, schedule, snapshot or job")
        }
    }

    static func create(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["slug", "timezone", "mode"])
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("clan create takes one name (quote names with spaces)") }
        var mode = SnapshotMode.auto
        if let text = arguments.values["mode"] {
            guard let parsed = SnapshotMode(key: text.lowercased()) else {
                throw CommandLineError.usage("unknown mode '\(text)'; use auto or one of \(HiscoresBoard.allCases.map(\.key).joined(separator: ", "))")
            }
            mode = parsed
        }
        // --guild is the global DISCORD_GUILD_ID flag, already read into the configuration.
        let guild = CommandServices.guild(context.configuration) ?? "0"
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.create(guildID: guild, name: arguments.positionals[0], slug: arguments.values["slug"],
                                                   timeZone: arguments.values["timezone"] ?? "UTC", mode: mode, createdBy: "cli")
        context.output.print("Created clan #\(clan.id) \(clan.name) (slug \(clan.slug), time zone \(clan.timeZone), mode \(clan.defaultSnapshotMode))")
        return 0
    }

    static func add(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["role"])
        guard arguments.positionals.count >= 2 else { throw CommandLineError.usage("clan add needs a clan and at least one player name") }
        var role = ClanRole.member
        if let text = arguments.values["role"] {
            guard let parsed = ClanRole(rawValue: text.lowercased()) else { throw CommandLineError.usage("unknown role '\(text)'; use member, officer or leader") }
            role = parsed
        }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let result = try await services.clans.addMembers(clanID: clan.id, names: Array(arguments.positionals.dropFirst()), role: role)
        for member in result.added { context.output.print("Added \(member.account.displayName) to \(clan.name) as \(member.role.rawValue)") }
        for name in result.alreadyMembers { context.output.print("\(name) is already a member of \(clan.name)") }
        return 0
    }

    static func remove(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest)
        guard arguments.positionals.count == 2 else { throw CommandLineError.usage("clan remove needs a clan and one player name") }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let member = try await services.clans.removeMember(clanID: clan.id, name: arguments.positionals[1])
        context.output.print("\(member.account.displayName) left \(clan.name); their past snapshots stay in the history")
        return 0
    }

    /// Follows a member's in-game name change: their history carries over to the new name.
    static func rename(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest)
        guard arguments.positionals.count == 3 else {
            throw CommandLineError.usage("clan rename needs a clan, the old name and the new name (quote names with spaces)")
        }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let renamed = try await services.clans.renameMember(clanID: clan.id, from: arguments.positionals[1], to: arguments.positionals[2])
        if renamed.historyKeptApart {
            context.output.print("\(renamed.previousName) is now \(renamed.account.displayName); another server tracks that name too, "
                                 + "so the history under \(renamed.previousName) stays apart")
        } else {
            context.output.print("\(renamed.previousName) is now \(renamed.account.displayName); their history carries over")
        }
        if renamed.foldedAccountID != nil, renamed.movedSnapshots > 0 {
            context.output.print("\(renamed.account.displayName) was already tracked on its own: its \(renamed.movedSnapshots) snapshot(s) joined the history")
        }
        if !renamed.droppedLinks.isEmpty {
            context.output.print("two accounts were merged, so their Discord links were removed (users \(renamed.droppedLinks.joined(separator: ", "))); "
                                 + "they link again with /clan link and an officer confirms")
        }
        return 0
    }

    static func list(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        _ = try CommandArguments(rest)
        let services = try await CommandServices.open(context.configuration)
        let clans = try await services.clans.list(guildID: CommandServices.guild(context.configuration))
        guard !clans.isEmpty else {
            context.output.print("No clans yet. Create one with: clanbot clan create \"Clan Name\" --timezone Europe/London")
            return 0
        }
        for line in TextTable.render(["Id", "Name", "Slug", "Guild", "Time zone", "Mode"],
                                     clans.map { ["\($0.id)", $0.name, $0.slug, $0.guildID, $0.timeZone, $0.defaultSnapshotMode.key] },
                                     align: [.right, .left, .left, .left, .left, .left]) {
            context.output.print(line)
        }
        return 0
    }

    static func show(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest)
        let services = try await CommandServices.full(context.configuration, requestsPerSecond: nil)
        let clan = try await services.clans.find(try arguments.positional(0, "the clan (id, slug or name)"),
                                                 guildID: CommandServices.guild(context.configuration))
        let members = try await services.clans.activeMembers(clanID: clan.id)
        let schedule = try await services.schedules.schedule(clanID: clan.id)
        let batches = try await services.batches.recent(clanID: clan.id, limit: 5)
        let zone = clan.zone
        let output = context.output
        output.print("\(clan.name) (#\(clan.id), slug \(clan.slug), guild \(clan.guildID), \(clan.timeZone), mode \(clan.defaultSnapshotMode))")
        output.print("")
        output.print("Members (\(members.count))")
        for line in TextTable.render(["Member", "Role", "Type", "Last snapshot"], members.map {
            [$0.account.displayName, $0.role.rawValue, $0.account.resolvedType?.rawValue ?? "-",
             $0.account.lastSnapshotAt.map { TextTable.time($0, in: zone) } ?? "never"]
        }, align: [.left, .left, .left, .left]) { output.print(line) }
        output.print("")
        if let schedule {
            output.print("Schedule: \(schedule.cron) (\(clan.timeZone)), at most \(schedule.maxDailyRuns) a day, "
                         + (schedule.enabled ? "enabled" : "disabled"))
            output.print("  next run: \(schedule.nextRunAt.map { TextTable.time($0, in: zone) } ?? "none")")
            if let status = schedule.lastRunStatus {
                output.print("  last run: \(status.rawValue)" + (schedule.lastRunAt.map { " at \(TextTable.time($0, in: zone))" } ?? "")
                             + (schedule.lastError.map { " — \($0)" } ?? ""))
            }
        } else {
            output.print("Schedule: none (set one with: clanbot clan schedule \(clan.slug) --cron \"0 18 * * *\")")
        }
        if !batches.isEmpty {
            output.print("")
            output.print("Recent batches")
            for line in TextTable.render(["Job", "Status", "Fetched", "Started", "Source"], batches.map {
                [$0.jobID, $0.status.rawValue, "\($0.succeededCount)/\($0.memberCount)",
                 ISO8601Time.string($0.startedAt ?? $0.queuedAt), $0.source]
            }, align: [.left, .left, .right, .left, .left]) { output.print(line) }
        }
        return 0
    }

    static func schedule(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["cron", "max-daily-runs"], switches: ["disable"])
        let clanText = try arguments.positional(0, "the clan (id, slug or name)")
        guard let cron = arguments.values["cron"] else { throw CommandLineError.usage("clan schedule needs --cron \"MIN HOUR DOM MON DOW\"") }
        var cap = 1
        if let text = arguments.values["max-daily-runs"] {
            guard let value = Int(text) else { throw CommandLineError.usage("--max-daily-runs must be 1 or 2 (got '\(text)')") }
            cap = value
        }
        let services = try await CommandServices.full(context.configuration, requestsPerSecond: nil)
        let clan = try await services.clans.find(clanText, guildID: CommandServices.guild(context.configuration))
        let saved: ClanSchedule
        do {
            saved = try await services.schedules.setSchedule(clanID: clan.id, cron: cron, maxDailyRuns: cap, enabled: !arguments.switches.contains("disable"))
        } catch let error as ServiceError {
            throw CommandLineError.usage("\(error)")
        }
        context.output.print("Schedule of \(clan.name): \(saved.cron) in \(clan.timeZone), at most \(saved.maxDailyRuns) a day, "
                             + (saved.enabled ? "enabled" : "disabled"))
        context.output.print("Next run: \(saved.nextRunAt.map { TextTable.time($0, in: clan.zone) } ?? "none") (runs while 'clanbot run' is running)")
        if let warning = ScheduleService.dailyCapWarning(saved, timeZone: clan.timeZone) { context.output.print("Warning: \(warning)") }
        return 0
    }
}
