import Discord
import Domain
import Foundation

/// `/player`: one member's profile in one embed (well under Discord's 6,000 characters: 24 skills in three
/// columns, five bosses, the clue tiers, the week and five achievements).
extension PlayerEmbeds {
    static let profileBosses = 5
    static let weekRows = 3

    static func profile(_ profile: PlayerProfile, clan: Clan) -> Embed {
        let account = profile.account
        var builder = EmbedBuilder(title: "👤 \(account.displayName)", color: Palette.info)
        builder.footer = "\(clan.name) · \(profile.member.role.rawValue)"
        var lines = [account.resolvedType.map { "**\($0.label)**" } ?? "Account type not checked yet"]
        guard let latest = profile.latest else {
            lines.append(standing(profile))
            lines.append("No snapshot of \(account.displayName) yet: the profile fills in after the clan's next snapshot run "
                         + "(officers can start one with `/snapshot run`).")
            builder.description = lines.joined(separator: "\n")
            return builder.build()
        }
        var totals: [String] = []
        if let overall = latest.record.overall, overall.isRanked {
            totals.append("Total level **\(Format.grouped(Int64(overall.level)))** · **\(Format.compact(overall.xp))** xp")
        } else {
            totals.append("Total level not ranked on the hiscores")
        }
        if let combat = profile.combatLevel { totals.append("combat **\(combat)**") }
        lines.append(totals.joined(separator: " · "))
        let since = account.firstSnapshotAt.map { " since \(Format.timestamp($0, "d"))" } ?? ""
        lines.append("Last snapshot \(Format.timestamp(latest.fetchedAt)) · \(Format.plural(profile.snapshotCount, "snapshot"))\(since)")
        lines.append(standing(profile))
        if latest.isRollback {
            lines.append("↩️ The last snapshot is flagged as a hiscores rollback (\(latest.rollbackRows.prefix(5).joined(separator: ", ")) fell): "
                         + "gains are measured around it and no achievement is awarded again.")
        }
        builder.description = lines.joined(separator: "\n")
        addSkills(profile.skills, to: &builder)
        let bosses = profile.topBosses(profileBosses)
        builder.addField("Top bosses", bosses.isEmpty ? "No boss kill count on the hiscores."
                         : bosses.map { "\($0.name) **\(Format.grouped(Int64($0.score)))**" }.joined(separator: "\n"), inline: true)
        let clues = profile.clues
        builder.addField("Clues", clues.isEmpty ? "No clue count on the hiscores."
                         : clues.map { "\($0.tier.label) **\(Format.grouped(Int64($0.count)))**" }.joined(separator: "\n"), inline: true)
        builder.addField("Last 7 days", week(profile))
        builder.addField("Achievements" + (profile.achievementTotal > 0 ? " (\(profile.achievementTotal))" : ""), achievements(profile))
        return builder.build()
    }

    /// Whether the hiscores know the account, and a failed lookup newer than the last snapshot.
    private static func standing(_ profile: PlayerProfile) -> String {
        var text: String
        switch profile.standing {
        case .listed:
            text = "✅ On the hiscores at the last snapshot"
        case .notListed(let at, let lastListed):
            text = "❓ Not on the hiscores at the last lookup (\(Format.timestamp(at))): a name change, a ban, or nothing ranked yet. "
            text += lastListed == nil ? "It was never found there." : "The figures below are from the last snapshot that found it."
            text += " After a name change, `/clan rename` keeps the history."
        case .unknown:
            text = "Not found on the hiscores yet: no lookup has answered for this name."
        }
        if let failed = profile.failedLookup {
            text += "\n⚠️ The last lookup (\(Format.timestamp(failed.at))) failed: \(failed.reason)."
        }
        return text
    }

    /// Three columns of skills in the game's order: "Attack **99** · 13.03M".
    private static func addSkills(_ skills: [SkillScore], to builder: inout EmbedBuilder) {
        guard !skills.isEmpty else { return }
        let perColumn = (skills.count + 2) / 3
        for column in 0..<3 {
            let slice = skills.dropFirst(column * perColumn).prefix(perColumn)
            guard !slice.isEmpty else { continue }
            let text = slice.map { skill in
                skill.isRanked ? "\(skill.name) **\(skill.level)** · \(Format.compact(skill.xp))" : "\(skill.name) \(max(1, skill.level)) · –"
            }.joined(separator: "\n")
            builder.addField(column == 0 ? "Skills" : "\u{200B}", text, inline: true)
        }
    }

    /// The week's gains in a few lines, measured like `/gains`.
    private static func week(_ profile: PlayerProfile) -> String {
        guard let delta = profile.weekDelta else {
            let bounds = profile.week.bounds
            if bounds.partial { return "One snapshot in the last 7 days: gains show from the next one." }
            if let last = bounds.end { return "No snapshot in the last 7 days (the last measured was \(Format.timestamp(last.at)))." }
            return "No snapshot to measure gains from yet."
        }
        var lines = ["**\(Format.gain(delta.totalXPGained))** xp · **\(Format.gain(Int64(delta.totalLevelsGained)))** "
                     + "\(delta.totalLevelsGained == 1 ? "level" : "levels") · from \(Format.timestamp(delta.startedAt, "d"))"]
        let skills = delta.skills.filter { $0.xpGained > 0 }.sorted { $0.xpGained > $1.xpGained }.prefix(weekRows)
        if !skills.isEmpty {
            lines.append(skills.map { skill in
                "\(skill.name) \(Format.gain(skill.xpGained))" + (skill.levelsGained > 0 ? " (\(skill.startLevel)→\(skill.endLevel))" : "")
            }.joined(separator: " · "))
        }
        let bosses = delta.activities(in: .boss).filter { $0.gained > 0 }.sorted { $0.gained > $1.gained }.prefix(weekRows)
        if !bosses.isEmpty { lines.append(bosses.map { "\($0.name) +\(Format.grouped($0.gained))" }.joined(separator: " · ")) }
        let clues = delta.cluesGained(.all)
        if clues > 0 { lines.append("+\(Format.grouped(clues)) \(clues == 1 ? "clue" : "clues")") }
        if skills.isEmpty && bosses.isEmpty && clues == 0 { lines.append("No xp, kills or clues gained.") }
        if profile.week.bounds.partial { lines.append("ℹ️ Counted from their first snapshot inside the 7 days.") }
        let appeared = profile.appearedThisWeek
        if !appeared.isEmpty {
            lines.append("🆕 New on the hiscores: \(appeared.prefix(5).joined(separator: ", ")), counted from the first value, not as a gain.")
        }
        return lines.joined(separator: "\n")
    }

    private static func achievements(_ profile: PlayerProfile) -> String {
        guard !profile.achievements.isEmpty else { return "None recorded yet: they are found between two snapshots." }
        var lines = profile.achievements.map { AchievementEmbeds.line($0, withName: false) }
        if profile.achievementTotal > profile.achievements.count {
            lines.append("`/achievements rsn:\(profile.account.displayName)` lists all \(Format.grouped(Int64(profile.achievementTotal))).")
        }
        return lines.joined(separator: "\n")
    }
}
