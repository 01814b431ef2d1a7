import Discord
import Domain
import Foundation
import Services

/// The summary of a scheduled snapshot run: the top xp gainers of the day or week in one post.
extension AnnouncementPosts {
    /// Nothing when nobody gained (a run right after the first, a quiet day): an empty podium is noise.
    static func summary(_ summary: BatchSummary, clanName: String) -> [AnnouncementService.Post] {
        guard !summary.top.isEmpty else { return [] }
        let medals = ["🥇", "🥈", "🥉"]
        var builder = EmbedBuilder(title: "📈 Top gainers \(summary.period.words) · \(clanName)", color: Palette.info)
        let lines = summary.top.map { row in
            let place = row.rank <= 3 ? medals[row.rank - 1] : "`#\(row.rank)`"
            return "\(place) **\(escaped(row.name))** +\(Format.compact(row.value)) xp" + (row.estimated ? " (estimated)" : "")
        }
        let others = summary.gainers - summary.top.count
        let more = others > 0 ? ["…and \(Format.plural(others, "more member")) gained xp."] : []
        builder.description = "Gains from \(Format.timestamp(summary.window.start, "f")) to \(Format.timestamp(summary.window.end, "f")).\n\n"
            + (lines + more).joined(separator: "\n")
        builder.addField("Clan total", "+\(Format.compact(summary.totalXP)) xp by \(Format.plural(summary.gainers, "member"))", inline: true)
        let batch = summary.batch
        var snapshotted = "\(batch.succeededCount) of \(Format.plural(batch.memberCount, "member"))"
        if batch.failedCount > 0 { snapshotted += " (\(batch.failedCount) could not be fetched)" }
        builder.addField("Snapshotted", snapshotted, inline: true)
        builder.footer = "\(clanName) · scheduled run \(batch.jobID)"
        builder.timestamp = ISO8601Time.string(summary.window.end)
        return posts(key: "summary:\(batch.id)", kind: .batchSummary, builder)
    }
}
