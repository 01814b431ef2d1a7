import Domain
import Foundation
import Services

/// `clanbot stats <clan> --timeframe 7d|30d|mtd|START..END`: the clan's report as tables.
enum StatsCommand {
    static let subcommand = Subcommand(
        name: "stats",
        summary: "a clan's gains over a timeframe: totals, skills, bosses, clues, top performers, slackers",
        usage: """
        Usage: clanbot stats <clan> [--timeframe 7d|30d|mtd|START..END] [--db PATH]

        <clan> is the clan's id, slug or name. The timeframe defaults to 7d; mtd starts on the 1st
        in the clan's time zone; START..END are dates (YYYY-MM-DD, END included) or ISO 8601 times.
        Each member is measured from their last snapshot at or before the start (or their first
        inside the window, marked partial) to their last snapshot before the end.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: ["timeframe"])
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("stats takes one clan (got \(arguments.positionals.count) names)") }
        let services = try await CommandServices.open(context.configuration)
        let (clan, timeframe) = try await services.clanAndTimeframe(
            arguments.positionals[0], timeframe: arguments.values["timeframe"], context.configuration)
        let stats = try await services.services.stats.stats(clanID: clan.id, timeframe: timeframe)
        for line in render(stats, clan: clan) { context.output.print(line) }
        return 0
    }

    static func render(_ stats: ClanStats, clan: Clan) -> [String] {
        let zone = clan.zone
        var lines = [
            "\(clan.name) — \(stats.timeframe): \(TextTable.time(stats.window.start, in: zone)) to \(TextTable.time(stats.window.end, in: zone))",
            "Members measured: \(stats.membersWithData) of \(stats.memberCount)",
            "Total XP gained: \(TextTable.number(stats.totalXPGained))   Levels gained: \(TextTable.number(stats.totalLevelsGained))",
            "",
        ]
        let skills = stats.skills.filter { $0.xpGained > 0 }.sorted { $0.xpGained > $1.xpGained }
        if !skills.isEmpty {
            lines.append("Skills")
            lines += TextTable.render(["Skill", "XP gained", "Levels"],
                                      skills.map { [$0.name, TextTable.number($0.xpGained), TextTable.number($0.levelsGained)] },
                                      align: [.left, .right, .right])
            lines.append("")
        }
        if !stats.bosses.isEmpty {
            lines.append("Bosses")
            lines += TextTable.render(["Boss", "Kills"], stats.bosses.map { [$0.name, TextTable.number($0.gained)] }, align: [.left, .right])
            lines.append("")
        }
        if !stats.clues.isEmpty {
            lines.append("Clues")
            lines += TextTable.render(["Tier", "Completed"], stats.clues.map { [$0.name, TextTable.number($0.gained)] }, align: [.left, .right])
            lines.append("")
        }
        if !stats.otherActivities.isEmpty {
            lines.append("Other activities")
            lines += TextTable.render(["Activity", "Gained"], stats.otherActivities.map { [$0.name, TextTable.number($0.gained)] },
                                      align: [.left, .right])
            lines.append("")
        }
        lines.append("Top performers")
        if stats.topPerformers.isEmpty {
            lines.append("  nobody gained XP in this window")
        } else {
            lines += TextTable.render(["#", "Member", "XP gained", "Levels", "Note"], stats.topPerformers.map {
                ["\($0.rank)", $0.name, TextTable.number($0.xpGained), TextTable.number($0.levelsGained), $0.partial ? "partial" : ""]
            }, align: [.right, .left, .right, .right, .left])
        }
        lines.append("")
        lines.append("Slackers")
        if stats.slackers.isEmpty {
            lines.append("  none")
        } else {
            lines += TextTable.render(["Member", "Why"], stats.slackers.map { [$0.name, $0.reason.description] }, align: [.left, .left])
        }
        if !stats.partialBaselines.isEmpty || !stats.rollbacks.isEmpty {
            lines.append("")
            lines.append("Notes")
            for note in stats.partialBaselines { lines.append("  \(note.name): partial baseline (\(note.detail))") }
            for note in stats.rollbacks { lines.append("  \(note.name): hiscores rollback in \(note.detail), counted as no gain") }
        }
        return lines
    }
}
