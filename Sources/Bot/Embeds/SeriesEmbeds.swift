import Discord
import Domain
import Foundation
import Services

/// Recurring contests as `/contest recur` and `/contest series` show them.
enum SeriesEmbeds {
    static func detail(_ summary: ContestSeriesSummary) -> Embed {
        let series = summary.series
        var lines = ["\(icon(series.status)) **\(series.status.rawValue)** · \(series.kind.rawValue) · \(cadence(summary))"]
        lines.append("Rule: " + ruleText(series))
        lines.append(Format.plural(series.winnersCount, series.kind.scoresPoints ? "prize place" : "winner") + (series.prize.map { " · prize: **\($0)**" } ?? ""))
        if let teams = series.teamCount { lines.append("\(teams) teams, filled automatically for each edition (`/contest teams` method)") }
        if !series.metrics.isEmpty { lines.append("Rotation: " + series.metrics.joined(separator: " → ")) }
        if let next = summary.nextStart {
            lines.append("Next: edition \(summary.nextEdition)" + (summary.nextMetric.map { " (\($0))" } ?? "")
                         + " starts \(Format.timestamp(next, "f")) (\(Format.timestamp(next)))" + (series.status == .paused ? " once resumed" : ""))
        }
        var builder = EmbedBuilder(title: "🔁 \(series.name)", description: lines.joined(separator: "\n"), color: series.status == .running ? 0x57F287 : 0x99AAB5)
        builder.footer = "series #\(series.id)"
        if !summary.editions.isEmpty {
            builder.addField("Editions", summary.editions.suffix(10).map { edition in
                guard let contest = edition.contest else { return "#\(edition.edition): (contest deleted)" }
                return "#\(edition.edition): contest #\(contest.id) \(contest.name) · \(contest.status.rawValue) · \(Format.timestamp(contest.startAt, "d"))"
            }.joined(separator: "\n"))
        }
        return builder.build()
    }

    static func list(_ summaries: [ContestSeriesSummary], clan: Clan) -> MessagePayload {
        guard !summaries.isEmpty else {
            return MessagePayload(content: "**\(clan.name)** has no recurring contests. Leaders and officers start one with `/contest recur`.")
        }
        let lines = summaries.map { summary in
            let series = summary.series
            let next = summary.nextStart.map { "next: edition \(summary.nextEdition)" + (summary.nextMetric.map { " (\($0))" } ?? "") + " \(Format.timestamp($0, "f"))" } ?? "no more editions"
            return "\(icon(series.status)) **\(series.name)** · \(series.kind.rawValue) · \(series.status.rawValue) · \(Format.plural(summary.editions.count, "edition")) · \(next)"
        }
        let builder = EmbedBuilder(title: "🔁 Recurring contests of \(clan.name)", description: lines.joined(separator: "\n"), color: 0x5865F2)
        return MessagePayload(embeds: [builder.build()])
    }

    static func icon(_ status: ContestSeriesStatus) -> String {
        switch status {
        case .running: "▶️"
        case .paused: "⏸️"
        case .stopped: "⏹️"
        }
    }

    static func cadence(_ summary: ContestSeriesSummary) -> String {
        let series = summary.series
        let first = series.start(ofSlot: 0, zone: summary.zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = summary.zone
        let weekday = calendar.weekdaySymbols[calendar.component(.weekday, from: first) - 1]
        let time = String(format: "%02d:%02d", calendar.component(.hour, from: first), calendar.component(.minute, from: first))
        let every = series.cadenceDays == 7 ? "every week" : "every \(series.cadenceDays / 7) weeks"
        return "\(every), \(weekday) \(time) \(summary.zone.identifier), for \(Format.plural(series.durationDays, "day"))"
    }

    static func ruleText(_ series: ContestSeries) -> String {
        guard let rule = try? series.rule(forEdition: 1) else { return series.ruleKind.rawValue }
        let summary = series.kind.scoresPoints ? rule.pointsSummary : rule.summary + (series.weight > 1 ? " = \(series.weight) entries" : " = 1 entry")
        return series.metrics.count > 1 ? summary + " (the metric changes each edition)" : summary
    }
}
