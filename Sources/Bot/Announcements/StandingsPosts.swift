import Discord
import Domain
import Foundation
import Services

/// A contest's standings as a post for the announcements channel: the top of the table (any kind: tickets or
/// points, teams first), under the "so far" time of the snapshots behind it. The whole table is one
/// `/contest standings` away; the post stays short, and a long one (many teams with long names) continues in further
/// embeds and posts instead of being cut.
extension AnnouncementPosts {
    /// Members listed in a post.
    static let standingsRows = 15

    /// "contest:12:standings:1767722400" for a scheduled slot, "contest:12:standings:final" for the end.
    static func standingsKey(contestID: Int64, slot: Date?) -> String {
        "contest:\(contestID):standings:" + (slot.map { String(Int64($0.timeIntervalSince1970)) } ?? "final")
    }

    static func standings(_ table: Standings, contest: Contest, clanName: String, key: String, at now: Date) -> [AnnouncementService.Post] {
        var builder = EmbedBuilder(title: (table.isFinal ? "🏁 Final standings · " : "📋 Standings · ") + contest.name,
                                   color: table.isFinal ? Palette.gold : Palette.info)
        var lines = [StandingsEmbeds.soFar(table, contest: contest)]
        if !table.teams.isEmpty {
            lines.append("")
            lines += table.teams.map { "\(StandingsEmbeds.place($0.place, score: $0.score)) **\(escaped($0.name))** — \(table.unit.amount($0.score)) (\(Format.plural($0.members, "member")))" }
        }
        lines.append("")
        let shown = table.rows.prefix(standingsRows)
        if shown.isEmpty { lines.append("Nobody to rank yet: members need a snapshot from before the start and one since.") }
        for row in shown {
            let entry = row.entry
            lines.append("\(StandingsEmbeds.place(row.place, score: entry.score)) **\(escaped(entry.name))**" + (entry.team.map { " (\(escaped($0)))" } ?? "")
                + " — \(table.unit.amount(entry.score))")
        }
        if table.rows.count > shown.count {
            lines.append("…and \(table.rows.count - shown.count) more: `/contest standings` shows everyone.")
        }
        builder.description = lines.joined(separator: "\n")
        if !table.excluded.isEmpty {
            builder.addField("Not taking part", "\(Format.plural(table.excluded.count, "member")) (`/contest standings` says why)")
        }
        builder.footer = clanName
        builder.timestamp = ISO8601Time.string(now)
        return posts(key: key, kind: .contestStandings, builder)
    }
}
