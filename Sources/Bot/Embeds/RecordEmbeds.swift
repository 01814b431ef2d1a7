import Discord
import Domain
import Foundation

/// The clan's records of one metric: one period kind in full, or the top of each.
enum RecordEmbeds {
    static let rowsForOnePeriod = 20
    static let rowsPerPeriod = 5

    static func records(_ records: MetricRecords, clan: Clan, period: RecordPeriod?) -> Embed {
        let metric = records.metric.description.prefix(1).uppercased() + records.metric.description.dropFirst()
        let unit = LeaderboardEmbeds.unit(records.metric)
        var builder = EmbedBuilder(title: "📜 Records · \(metric)" + (period.map { " · best \($0.rawValue)" } ?? ""), color: Palette.gold)
        if let period {
            let rows = records.records(period)
            builder.description = rows.isEmpty ? empty : lines(Array(rows.prefix(rowsForOnePeriod)), unit: unit).joined(separator: "\n")
            if rows.count > rowsForOnePeriod { builder.footer = "\(clan.name) · top \(rowsForOnePeriod) of \(rows.count)" }
        } else {
            var any = false
            for period in RecordPeriod.allCases {
                let rows = records.records(period)
                guard !rows.isEmpty else { continue }
                any = true
                builder.addField("Best \(period.rawValue)", lines(Array(rows.prefix(rowsPerPeriod)), unit: unit).joined(separator: "\n"))
            }
            if !any { builder.description = empty }
        }
        let legend = "calendar \(period?.rawValue ?? "days, weeks (from Monday) and months") in \(clan.timeZone)"
        builder.footer = [builder.footer ?? clan.name, legend].joined(separator: " · ")
        return builder.build()
    }

    static let empty = "No records yet: a record needs a gain between two snapshots of a member."

    /// "🥇 **Zezima** — 1.2m xp · week of 1 Jun"
    static func lines(_ rows: [MemberRecord], unit: String) -> [String] {
        let medals = ["🥇", "🥈", "🥉"]
        return rows.enumerated().map { index, row in
            let place = index < 3 ? medals[index] : "`#\(index + 1)`"
            let value = row.estimated ? "≥\(Format.compact(row.value))" : Format.compact(row.value)
            let when = switch row.period {
            case .day: Format.timestamp(row.window.start, "D")
            case .week: "week of " + Format.timestamp(row.window.start, "D")
            case .month: Format.timestamp(row.window.start, "D") + " to " + Format.timestamp(row.window.end.addingTimeInterval(-1), "D")
            }
            return "\(place) **\(row.name)** — \(value)\(unit) · \(when)"
        }
    }
}
