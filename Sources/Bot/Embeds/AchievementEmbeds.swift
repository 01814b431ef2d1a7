import Discord
import Domain
import Foundation
import Services

/// Achievements as Discord shows them; also what an announcer posts for one (`line`).
enum AchievementEmbeds {
    static func recent(_ recent: AchievementService.Recent, clan: Clan) -> Embed {
        let whose = recent.memberName ?? clan.name
        var builder = EmbedBuilder(title: "🏅 Achievements · \(whose)", color: Palette.gold)
        if recent.achievements.isEmpty {
            builder.description = recent.memberName == nil
                ? "No achievements yet. They are found between two snapshots of a member: 99s, 200M xp, base and total levels, 126 combat, boss kill counts and clue milestones."
                : "\(whose) has no achievements recorded yet. They are found between two of their snapshots."
        } else {
            builder.description = recent.achievements.map { line($0, withName: recent.memberName == nil) }.joined(separator: "\n")
        }
        let shown = recent.achievements.count
        builder.footer = ([clan.name] + (recent.total > shown ? ["latest \(shown) of \(recent.total)"] : [])).joined(separator: " · ")
        return builder.build()
    }

    /// "**Zezima** — 99 Slayer · between 3 Dec and 4 Dec (2 days ago)".
    static func line(_ stored: StoredAchievement, withName: Bool = true) -> String {
        let achievement = stored.achievement
        let who = withName ? "**\(stored.accountName)** — " : ""
        return "\(who)\(achievement.title) · between \(Format.timestamp(achievement.previous.at, "d")) and "
            + "\(Format.timestamp(achievement.reached.at, "d")) (\(Format.timestamp(achievement.reached.at)))"
    }
}
