import Discord
import Domain
import Foundation

/// A contest's standings (any kind), 15 members a page with ◀ ▶, under the "so far" time: the newest snapshot the
/// scores come from. `/contest standings`, the scheduled posts and the final ranking in the announcements channel.
enum StandingsEmbeds {
    static let rowsPerPage = 15
    /// A row's detail (a raffle's progress per rule) is cut here, so a full page stays within an embed.
    static let detailLimit = 160

    static func message(_ table: Standings, contest: Contest, clan: Clan, page requested: Int) -> MessagePayload {
        let (_, page, pages) = table.page(requested, perPage: rowsPerPage)
        return PageButtons.payload(embed(table, contest: contest, clanName: clan.name, page: page), page: page, pages: pages) { target in
            CustomID("cs.page", [String(clan.id), String(contest.id), String(target)]).text
        }
    }

    static func embed(_ table: Standings, contest: Contest, clanName: String, page requested: Int) -> Embed {
        let (rows, page, pages) = table.page(requested, perPage: rowsPerPage)
        var builder = EmbedBuilder(title: (table.isFinal ? "🏁 Final standings · " : "📋 Standings · ") + contest.name,
                                   color: table.isFinal ? Palette.gold : Palette.info)
        var lines = [soFar(table, contest: contest)]
        if page == 0, !table.teams.isEmpty {
            lines.append("")
            lines += table.teams.map { "\(place($0.place, score: $0.score)) **\($0.name)** — \(table.unit.amount($0.score)) (\(Format.plural($0.members, "member")))" }
        }
        lines.append("")
        if rows.isEmpty { lines.append("Nobody to rank yet: members need a snapshot from before the start and one since.") }
        for row in rows {
            let entry = row.entry
            var line = "\(place(row.place, score: entry.score)) **\(entry.name)**" + (entry.team.map { " (\($0))" } ?? "")
                + " — \(table.unit.amount(entry.score))"
            if let detail = entry.detail, !detail.isEmpty { line += " · " + TextLimit.truncate(detail, to: detailLimit) }
            lines.append(line)
        }
        builder.description = TextLimit.truncate(lines.joined(separator: "\n"), to: Embed.descriptionLimit)
        if page == pages - 1, !table.excluded.isEmpty {
            builder.addField("Not taking part", excludedList(table.excluded))
        }
        builder.footer = "\(clanName) · page \(page + 1)/\(pages)"
        return builder.build()
    }

    /// "So far: snapshots of 6 Dec 18:00 (2 hours ago) · ends in 3 days", or when the final one was measured.
    static func soFar(_ table: Standings, contest: Contest) -> String {
        guard let newest = table.soFar else {
            return table.isFinal ? "Ended \(Format.timestamp(contest.endAt, "f")); nobody could be measured."
                : "Nobody measured yet · ends \(Format.timestamp(contest.endAt))"
        }
        var measured = "\(Format.timestamp(newest, "f")) (\(Format.timestamp(newest)))"
        if let oldest = table.oldestMeasure, newest.timeIntervalSince(oldest) > 3600 {
            measured = "\(Format.timestamp(oldest, "f")) to " + measured
        }
        return table.isFinal
            ? "Ended \(Format.timestamp(contest.endAt, "f")) · measured on snapshots up to \(measured)"
            : "**So far**: snapshots of \(measured) · ends \(Format.timestamp(contest.endAt))"
    }

    /// 🥇🥈🥉 for the first three places with a score, `#n` otherwise.
    static func place(_ place: Int, score: Int64) -> String {
        let medals = ["🥇", "🥈", "🥉"]
        return score > 0 && place <= 3 ? medals[place - 1] : "`#\(place)`"
    }

    static func excludedList(_ excluded: [Standings.Excluded]) -> String {
        var lines: [String] = []
        var length = 0
        for (index, member) in excluded.enumerated() {
            let line = "\(member.name) — \(ContestEmbeds.exclusion(member.reason))"
            let more = "…and \(excluded.count - index) more"
            if length + line.utf16.count + more.utf16.count + 2 > Embed.fieldValueLimit {
                lines.append(more)
                break
            }
            lines.append(line)
            length += line.utf16.count + 1
        }
        return lines.joined(separator: "\n")
    }
}
