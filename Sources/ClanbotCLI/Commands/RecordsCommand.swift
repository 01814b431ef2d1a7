import Domain
import Foundation
import Services

/// `clanbot records <clan> --metric … [--period day|week|month]`: the clan's best days, weeks and months.
enum RecordsCommand {
    static let subcommand = Subcommand(
        name: "records",
        summary: "a clan's best day, week and month of a metric, and who made them",
        usage: """
        Usage: clanbot records <clan> --metric xp_gained|levels_gained|skill_xp|boss_kc|clues
                               [--skill SKILL | --boss BOSS | --tier TIER]
                               [--period day|week|month] [--limit N] [--db PATH]

        A record is a member's biggest gain in one calendar day, week (from Monday) or month in the clan's time
        zone, measured like the leaderboards: from the last snapshot before the period to the last one in it.
        Each member appears once per period, with their best. Without --period all three are listed.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: ["metric", "skill", "boss", "tier", "period", "limit"])
        guard arguments.positionals.count == 1 else {
            throw CommandLineError.usage("records takes one clan (got \(arguments.positionals.count) names)")
        }
        let metric = try LeaderboardCommand.metric(arguments)
        let periods: [RecordPeriod]
        if let text = arguments.values["period"] {
            guard let period = RecordPeriod(rawValue: text.lowercased()) else {
                throw CommandLineError.usage("--period must be day, week or month (got '\(text)')")
            }
            periods = [period]
        } else {
            periods = RecordPeriod.allCases
        }
        let limit = try LeaderboardCommand.limit(arguments, default: periods.count == 1 ? Int.max : 5)
        let services = try await CommandServices.open(context.configuration)
        let (clan, _) = try await services.clanAndTimeframe(arguments.positionals[0], timeframe: nil, context.configuration)
        let records = try await RecordsService(store: services.store).records(clanID: clan.id, metric: metric)
        for line in render(records, clan: clan, periods: periods, limit: limit) { context.output.print(line) }
        return 0
    }

    static func render(_ records: MetricRecords, clan: Clan, periods: [RecordPeriod], limit: Int) -> [String] {
        var lines = ["\(clan.name) — records — \(records.metric) (calendar periods in \(clan.timeZone))"]
        for period in periods {
            lines.append("")
            lines.append("Best \(period.rawValue):")
            let rows = records.records(period).prefix(limit)
            if rows.isEmpty {
                lines.append("No records yet: a record needs a gain between two snapshots of a member.")
                continue
            }
            lines += TextTable.render(["#", "Member", "Gained", "Period", "Note"], rows.enumerated().map { index, row in
                let notes = [row.partial ? "from first snapshot" : nil, row.estimated ? "from unranked" : nil]
                return ["\(index + 1)", row.name, TextTable.number(row.value), TextTable.time(row.window.start, in: clan.zone),
                        notes.compactMap { $0 }.joined(separator: ", ")]
            }, align: [.right, .left, .right, .left, .left])
        }
        return lines
    }
}
