import Discord
import Domain
import Foundation
import Services

/// The /leaderboard embed: one page of ranked rows with the window and the metric's unit, ◀ ▶ buttons when paged.
enum LeaderboardEmbeds {
    static let rowsPerPage = 20

    static func pageCount(_ board: Leaderboard) -> Int { max(1, (board.rows.count + rowsPerPage - 1) / rowsPerPage) }

    static func message(_ board: Leaderboard, clan: Clan, timeframe: Timeframe, page requested: Int) -> MessagePayload {
        let pages = pageCount(board)
        let page = min(max(0, requested), pages - 1)
        let embed = self.embed(board, clan: clan, timeframe: timeframe, page: page)
        return PageButtons.payload(embed, page: page, pages: pages) { target in
            CustomID("lb.page", [String(clan.id), board.metric.kind, board.metric.parameter ?? "", timeframe.buttonKey, String(target)]).text
        }
    }

    /// The unit after a value of `metric`: " xp", " lvl", " kc", " clues".
    static func unit(_ metric: LeaderboardMetric) -> String {
        switch metric {
        case .xpGained, .skillXP: " xp"
        case .levelsGained: " lvl"
        case .bossKC: " kc"
        case .clues: " clues"
        }
    }

    static func embed(_ board: Leaderboard, clan: Clan, timeframe: Timeframe, page: Int) -> Embed {
        var builder = EmbedBuilder(title: "🏆 \(board.metric.description.prefix(1).uppercased() + board.metric.description.dropFirst()) · \(timeframe.label(in: clan.zone))",
                                   color: Palette.gold)
        let unit = unit(board.metric)
        let medals = ["🥇", "🥈", "🥉"]
        let rows = board.rows.dropFirst(page * rowsPerPage).prefix(rowsPerPage)
        var lines = rows.map { row in
            // A medal for a gain; nobody earns bronze for zero kills.
            let place = row.rank <= 3 && row.value > 0 ? medals[row.rank - 1] : "`#\(row.rank)`"
            let value = row.estimated ? "≥\(Format.compact(row.value))" : Format.compact(row.value)
            return "\(place) **\(row.name)** — \(value)\(unit)" + (row.partial ? " *" : "") + (row.rollback ? " ↩️" : "")
        }
        if board.rows.isEmpty { lines = ["Nobody to rank yet: members need two snapshots in the window."] }
        lines.append("")
        lines.append(board.window.days)
        builder.description = lines.joined(separator: "\n")
        let last = page >= pageCount(board) - 1
        if last, !board.withoutData.isEmpty {
            builder.addField("No data in window", board.withoutData.map(\.name).joined(separator: ", "))
        }
        var legend: [String] = []
        if board.rows.contains(where: \.partial) { legend.append("* counted from their first snapshot in the window") }
        if board.rows.contains(where: \.estimated) { legend.append("≥ started unranked") }
        if board.rows.contains(where: \.rollback) { legend.append("↩️ rollback") }
        builder.footer = ([clan.name, "page \(page + 1)/\(pageCount(board))"] + legend).joined(separator: " · ")
        return builder.build()
    }
}
