import Domain
import Foundation
import Services

/// `clanbot player <clan> <rsn>`: one member's profile from the stored snapshots, as `/player` shows it.
enum PlayerCommand {
    static let subcommand = Subcommand(
        name: "player",
        summary: "one member's profile: account type, levels, bosses, clues, the last 7 days and achievements",
        usage: """
        Usage: clanbot player <clan> <rsn> [--db PATH]

        Reads the stored snapshots only (no hiscores request): the account type, total level and xp, every
        skill, the top bosses and clue counts of the latest snapshot, the gains of the last 7 days (measured like
        the leaderboards), the latest achievements, and whether the hiscores listed the account at its last lookup.
        `clanbot snapshot <rsn>` takes a fresh snapshot.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: [])
        guard arguments.positionals.count == 2 else {
            throw CommandLineError.usage("player takes a clan and a RuneScape name (got \(arguments.positionals.count) arguments); "
                                         + "quote a name with a space: \"Mem Ber\"")
        }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let profile = try await services.services.profiles.profile(clanID: clan.id, rsn: arguments.positionals[1], now: Date())
        for line in render(profile, clan: clan) { context.output.print(line) }
        return 0
    }

    static func render(_ profile: PlayerProfile, clan: Clan) -> [String] {
        let zone = clan.zone
        func time(_ date: Date) -> String { TextTable.time(date, in: zone) }
        let account = profile.account
        var lines = ["\(account.displayName) — \(clan.name) (\(profile.member.role.rawValue)) — \(account.resolvedType?.label ?? "account type not checked yet")"]
        switch profile.standing {
        case .listed(let at): lines.append("Hiscores: listed at the last snapshot (\(time(at)))")
        case .notListed(let at, let last):
            lines.append("Hiscores: NOT listed at the last lookup (\(time(at))): a name change, a ban, or nothing ranked yet; "
                         + (last.map { "last found \(time($0))" } ?? "never found"))
        case .unknown: lines.append("Hiscores: no lookup has answered for this name yet")
        }
        if let failed = profile.failedLookup { lines.append("The last lookup (\(time(failed.at))) failed: \(failed.reason)") }
        guard let latest = profile.latest else {
            lines.append("No snapshot yet: the profile fills in after the clan's next snapshot run.")
            return lines
        }
        if let overall = latest.record.overall, overall.isRanked {
            lines.append("Total level \(TextTable.number(overall.level)) · \(TextTable.number(overall.xp)) xp"
                         + (profile.combatLevel.map { " · combat \($0)" } ?? ""))
        }
        lines.append("Last snapshot \(time(latest.fetchedAt)) · \(profile.snapshotCount) snapshot\(profile.snapshotCount == 1 ? "" : "s")")
        if latest.isRollback {
            lines.append("The last snapshot is flagged as a hiscores rollback (\(latest.rollbackRows.joined(separator: ", ")) fell): gains are measured around it.")
        }
        lines.append("")
        lines += TextTable.render(["Skill", "Level", "XP"], profile.skills.map { skill in
            [skill.name, skill.isRanked ? "\(skill.level)" : "–", skill.isRanked ? TextTable.number(skill.xp) : "unranked"]
        }, align: [.left, .right, .right])
        let bosses = profile.topBosses(10)
        if !bosses.isEmpty {
            lines.append("")
            lines += TextTable.render(["Boss", "Kills"], bosses.map { [$0.name, TextTable.number($0.score)] }, align: [.left, .right])
        }
        if !profile.clues.isEmpty {
            lines.append("")
            lines.append("Clues: " + profile.clues.map { "\($0.tier.rawValue) \(TextTable.number($0.count))" }.joined(separator: ", "))
        }
        lines.append("")
        if let delta = profile.weekDelta {
            lines.append("Last 7 days (\(time(delta.startedAt)) to \(time(delta.endedAt))): +\(TextTable.number(delta.totalXPGained)) xp, "
                         + "+\(delta.totalLevelsGained) level\(delta.totalLevelsGained == 1 ? "" : "s")")
            for skill in delta.skills.filter({ $0.xpGained > 0 }).sorted(by: { $0.xpGained > $1.xpGained }) {
                lines.append("  \(skill.name) +\(TextTable.number(skill.xpGained))" + (skill.levelsGained > 0 ? " (\(skill.startLevel)→\(skill.endLevel))" : ""))
            }
            for activity in delta.activities.filter({ $0.gained > 0 && $0.category != .points }) {
                lines.append("  \(activity.name) +\(TextTable.number(activity.gained))")
            }
            if !profile.appearedThisWeek.isEmpty {
                lines.append("  New on the hiscores (counted from the first value): \(profile.appearedThisWeek.joined(separator: ", "))")
            }
        } else {
            lines.append("Last 7 days: fewer than two snapshots to compare.")
        }
        lines.append("")
        lines.append("Achievements (\(profile.achievementTotal)):" + (profile.achievements.isEmpty ? " none yet" : ""))
        for stored in profile.achievements {
            lines.append("  \(stored.achievement.title) — between \(time(stored.achievement.previous.at)) and \(time(stored.achievement.reached.at))")
        }
        return lines
    }
}
