import Discord
import Domain
import Foundation
import Services

/// The stats panels: totals and top performers; skills; bosses, clues and activities; caveats.
enum StatsEmbeds {
    static func report(_ stats: ClanStats, clan: Clan, timeframe: Timeframe) -> [Embed] {
        var summary = EmbedBuilder(title: "📊 \(clan.name) · \(timeframe.label(in: clan.zone))", color: Palette.gold)
        summary.description = """
            **\(Format.compact(stats.totalXPGained))** xp · **\(Format.grouped(stats.totalLevelsGained))** levels gained
            \(stats.membersWithData)/\(stats.memberCount) members with data · \(stats.window.days)
            """
        let medals = ["🥇", "🥈", "🥉"]
        if !stats.topPerformers.isEmpty {
            summary.addField("Top performers", stats.topPerformers.map { performer in
                let medal = performer.rank <= 3 ? medals[performer.rank - 1] : "`#\(performer.rank)`"
                return "\(medal) **\(performer.name)** — \(Format.compact(performer.xpGained)) xp, \(performer.levelsGained) lvl" + (performer.partial ? " *" : "")
            }.joined(separator: "\n"))
        }
        let skills = stats.skills.filter { $0.xpGained > 0 }.sorted { $0.xpGained > $1.xpGained }
        if !skills.isEmpty {
            summary.addField("Skills", skills.prefix(10).map { "\($0.name) **\(Format.compact($0.xpGained))**" }.joined(separator: "\n"), inline: true)
        }
        if !stats.bosses.isEmpty {
            summary.addField("Bosses", stats.bosses.prefix(10).map { "\($0.name) **\(Format.grouped($0.gained))**" }.joined(separator: "\n"), inline: true)
        }
        if !stats.clues.isEmpty {
            summary.addField("Clues", stats.clues.map { "\(ClueTier(activityName: $0.name)?.label ?? $0.name) **\($0.gained)**" }.joined(separator: " · "))
        }
        if !stats.otherActivities.isEmpty {
            summary.addField("Activities", stats.otherActivities.prefix(6).map { "\($0.name) +\(Format.grouped($0.gained))" }.joined(separator: " · "))
        }
        let noGain = stats.slackers.filter { $0.reason == .noGain }.map(\.name)
        let noData = stats.slackers.filter { $0.reason == .noData }.map(\.name)
        if !noGain.isEmpty { summary.addField("😴 No gains", noGain.joined(separator: ", ")) }
        if !noData.isEmpty { summary.addField("❔ No data in window", noData.joined(separator: ", ")) }
        var notes: [String] = []
        if !stats.partialBaselines.isEmpty { notes.append("* counted from a first snapshot inside the window: " + stats.partialBaselines.map(\.name).joined(separator: ", ")) }
        if !stats.rollbacks.isEmpty { notes.append("↩️ hiscores rollbacks (no gain counted): " + stats.rollbacks.map { "\($0.name) (\($0.detail))" }.joined(separator: ", ")) }
        if !notes.isEmpty { summary.addField("Notes", notes.joined(separator: "\n")) }
        summary.footer = "generated"
        summary.timestamp = ISO8601Time.string(stats.generatedAt)
        return [summary.build()]
    }
}
