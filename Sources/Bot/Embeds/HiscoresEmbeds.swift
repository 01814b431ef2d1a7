import Discord
import Domain
import Foundation

/// The clan's hiscores, 20 members a page, each with the time of the snapshot their figure comes from.
enum HiscoresEmbeds {
    static let rowsPerPage = 20

    static func pageCount(_ hiscores: ClanHiscores) -> Int { max(1, (hiscores.rows.count + rowsPerPage - 1) / rowsPerPage) }

    static func message(_ hiscores: ClanHiscores, clan: Clan, page requested: Int) -> MessagePayload {
        let pages = pageCount(hiscores)
        let page = min(max(0, requested), pages - 1)
        let embed = self.embed(hiscores, clan: clan, page: page)
        return PageButtons.payload(embed, page: page, pages: pages) { target in
            CustomID("hs.page", [String(clan.id), hiscores.metric.kind, hiscores.metric.parameter ?? "", String(target)]).text
        }
    }

    static func embed(_ hiscores: ClanHiscores, clan: Clan, page: Int) -> Embed {
        var builder = EmbedBuilder(title: "📊 Clan hiscores · \(hiscores.metric)", color: Palette.info)
        let medals = ["🥇", "🥈", "🥉"]
        var lines = hiscores.rows.dropFirst(page * rowsPerPage).prefix(rowsPerPage).map { row -> String in
            let place = row.rank.map { $0 <= 3 ? medals[$0 - 1] : "`#\($0)`" } ?? "`—`"
            let figure: String
            if let value = row.value {
                figure = hiscores.metric.isSkill
                    ? "\(Format.grouped(Int64(row.level ?? 1))) · \(Format.compact(value)) xp"
                    : Format.grouped(value) + (hiscores.metric.kind == "boss" ? " kc" : "")
            } else {
                figure = "unranked"
            }
            return "\(place) **\(row.name)** — \(figure) · \(Format.timestamp(row.snapshotAt))"
        }
        if hiscores.rows.isEmpty { lines = ["Nobody to rank yet: members need a snapshot. Officers can take one now with `/snapshot run`."] }
        builder.description = lines.joined(separator: "\n")
        if page >= pageCount(hiscores) - 1, !hiscores.withoutSnapshot.isEmpty {
            builder.addField("No snapshot yet", hiscores.withoutSnapshot.map(\.name).joined(separator: ", "))
        }
        builder.footer = "\(clan.name) · page \(page + 1)/\(pageCount(hiscores)) · each from the member's latest snapshot (time shown)"
        return builder.build()
    }
}
