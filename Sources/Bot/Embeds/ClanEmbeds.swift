import Discord
import Domain
import Foundation
import Services

/// The clan's overview page, its roster and the welcome after `/clan create`.
enum ClanEmbeds {
    static func created(_ clan: Clan) -> Embed {
        EmbedBuilder(title: "🏰 \(clan.name) is ready", color: Palette.clan)
            .field("Slug", "`\(clan.slug)`", inline: true)
            .field("Time zone", clan.timeZone, inline: true)
            .field("Next steps", """
                1. `/clan add rsn:` for each member (officers and leaders too)
                2. `/clan link rsn:` so clanbot knows who you are
                3. `/schedule set cron:0 6 * * *` for a daily snapshot, or `/snapshot run` now
                """)
            .build()
    }

    /// Members, next scheduled run, last run status and the week's figures.
    static func overview(_ overview: BotDirectory.Overview, stats: ClanStats?) -> Embed {
        let clan = overview.clan
        var builder = EmbedBuilder(title: "🏰 \(clan.name)", description: clan.description, color: Palette.clan)
        builder.footer = "\(clan.slug) · \(clan.timeZone) · clan #\(clan.id)"
        let counts = Dictionary(grouping: overview.members, by: \.role).mapValues(\.count)
        let roles = ClanRole.allCases.compactMap { role in counts[role].map { Format.plural($0, role.rawValue) } }
        builder.addField("Members", "**\(overview.members.count)**" + (roles.isEmpty ? "" : "\n" + roles.joined(separator: " · ")), inline: true)
        builder.addField("Schedule", schedule(overview.schedule), inline: true)
        builder.addField("Last run", overview.recentRuns.first.map(runLine) ?? "No snapshot run yet", inline: true)
        if let stats, stats.membersWithData > 0 {
            var lines = ["**\(Format.compact(stats.totalXPGained))** xp · **\(Format.grouped(stats.totalLevelsGained))** levels"]
            if let top = stats.topPerformers.first { lines.append("🥇 \(top.name) — \(Format.compact(top.xpGained)) xp") }
            if let skill = stats.skills.max(by: { $0.xpGained < $1.xpGained }), skill.xpGained > 0 {
                lines.append("Top skill: \(skill.name) (\(Format.compact(skill.xpGained)))")
            }
            lines.append("\(stats.membersWithData)/\(stats.memberCount) members with data")
            builder.addField("Last 7 days", lines.joined(separator: "\n"))
        } else {
            builder.addField("Last 7 days", "No gains to show yet: two snapshots of a member are needed.")
        }
        return builder.build()
    }

    static func overviewButtons(clanID: Int64) -> [ActionRow] {
        [ActionRow([Button("Run snapshot now", customID: CustomID.runSnapshot(clanID: clanID).text, style: .primary, emoji: "📸")].compactMap { $0 })]
    }

    static func schedule(_ schedule: ClanSchedule?) -> String {
        guard let schedule else { return "None — `/schedule set`" }
        guard schedule.enabled else { return "`\(schedule.cron)` (paused)" }
        var text = "`\(schedule.cron)`"
        if let next = schedule.nextRunAt { text += "\nnext \(Format.timestamp(next))" }
        if let status = schedule.lastRunStatus {
            text += "\nlast: \(status.rawValue)" + (schedule.lastRunAt.map { " \(Format.timestamp($0))" } ?? "")
        }
        return text
    }

    static func runLine(_ run: BatchRun) -> String {
        let when = run.finishedAt ?? run.startedAt ?? run.queuedAt
        return "\(JobsPanel.icon(run.status)) \(run.status.rawValue) \(run.succeededCount)/\(run.memberCount)\n\(Format.timestamp(when))"
    }

    static func roster(clan: Clan, members: [ClanMember]) -> EmbedBuilder {
        var builder = EmbedBuilder(title: "👥 \(clan.name) — \(Format.plural(members.count, "member"))", color: Palette.clan)
        if members.isEmpty { builder.description = "Nobody yet. Add members with `/clan add`." }
        for role in ClanRole.allCases {
            let names = members.filter { $0.role == role }.map { member in
                member.account.lastSnapshotAt.map { "\(member.account.displayName) · \(Format.timestamp($0))" } ?? member.account.displayName
            }
            guard !names.isEmpty else { continue }
            // Fields hold 1024 characters: continue a long role over several fields.
            var chunk: [String] = []
            var size = 0
            var first = true
            for name in names {
                if size + name.count + 1 > 1000 {
                    builder.addField(first ? "\(role.rawValue.capitalized)s" : "\(role.rawValue.capitalized)s (cont.)", chunk.joined(separator: "\n"))
                    first = false
                    chunk = []
                    size = 0
                }
                chunk.append(name)
                size += name.count + 1
            }
            builder.addField(first ? "\(role.rawValue.capitalized)s" : "\(role.rawValue.capitalized)s (cont.)", chunk.joined(separator: "\n"))
        }
        return builder
    }
}
