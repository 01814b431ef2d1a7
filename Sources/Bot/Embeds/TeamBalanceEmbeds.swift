import Discord
import Domain
import Foundation
import Services

/// The preview `/contest teams auto:N` answers with: each team's members and ratings, and the teams as text an
/// officer can copy, change and give back to `/contest teams teams:` before activating.
enum TeamBalanceEmbeds {
    static func preview(_ preview: TeamBalancePreview) -> MessagePayload {
        let contest = preview.detail.contest
        let rating = Dictionary(preview.ratings.map { ($0.name, $0.rating) }, uniquingKeysWith: { first, _ in first })
        var builder = EmbedBuilder(
            title: "🛡️ Teams of \(contest.name) (preview)",
            description: "Filled by a snake draft over each member's points under these rules from \(Format.timestamp(preview.from, "d")) "
                + "to \(Format.timestamp(preview.to, "d")) (highest first, equal points by name). Nothing is locked until `/contest activate`.",
            color: 0x5865F2)
        for (team, total) in zip(contest.teams, preview.teamRatings) {
            let members = team.members.map { "\($0) (\(Format.grouped(rating[$0] ?? 0)))" }.joined(separator: ", ")
            builder.addField("\(team.name) · \(Format.plural(team.members.count, "member")) · \(Format.grouped(total)) points", members)
        }
        let text = ContestTeamCommands.text(contest.teams)
        builder.addField("To adjust", "Copy, edit and give back to `/contest teams teams:`\n```\n\(TextLimit.truncate(text, to: 900))\n```")
        return MessagePayload(content: "Teams of **\(contest.name)** filled automatically: "
                              + contest.teams.map { "\($0.name) (\($0.members.count))" }.joined(separator: ", ") + ".",
                              embeds: [builder.build()])
    }
}
