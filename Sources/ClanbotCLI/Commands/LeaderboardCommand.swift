import Domain
import Foundation
import Services

/// `clanbot leaderboard <clan> --metric … --timeframe …`: the ranked table.
enum LeaderboardCommand {
    static let subcommand = Subcommand(
        name: "leaderboard",
        summary: "rank a clan's members by a metric over a timeframe",
        usage: """
        Usage: clanbot leaderboard <clan> --metric xp_gained|levels_gained|skill_xp|boss_kc|clues
                                   [--skill SKILL | --boss BOSS | --tier TIER]
                                   [--timeframe 7d|30d|mtd|START..END] [--limit N] [--db PATH]

        skill_xp needs --skill (e.g. Attack), boss_kc needs --boss (e.g. Zulrah); clues takes
        --tier beginner|easy|medium|hard|elite|master (default: all tiers). Ties share a rank.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: ["metric", "skill", "boss", "tier", "timeframe", "limit"])
        guard arguments.positionals.count == 1 else {
            throw CommandLineError.usage("leaderboard takes one clan (got \(arguments.positionals.count) names)")
        }
        let metric = try metric(arguments)
        let limit = try limit(arguments, default: Int.max)
        let services = try await CommandServices.open(context.configuration)
        let (clan, timeframe) = try await services.clanAndTimeframe(
            arguments.positionals[0], timeframe: arguments.values["timeframe"], context.configuration)
        let board = try await services.services.leaderboards.leaderboard(clanID: clan.id, metric: metric, timeframe: timeframe)
        for line in render(board, clan: clan, limit: limit) { context.output.print(line) }
        return 0
    }

    /// `--limit N` (N above 0), or `fallback` without it.
    static func limit(_ arguments: CommandArguments, default fallback: Int) throws(CommandLineError) -> Int {
        guard let text = arguments.values["limit"] else { return fallback }
        guard let value = Int(text), value > 0 else { throw .usage("--limit must be a whole number above 0 (got '\(text)')") }
        return value
    }

    static func metric(_ arguments: CommandArguments) throws(CommandLineError) -> LeaderboardMetric {
        guard let kind = arguments.values["metric"] else {
            throw .usage("--metric is required: one of \(LeaderboardMetric.kinds.joined(separator: ", "))")
        }
        let given = [arguments.values["skill"], arguments.values["boss"], arguments.values["tier"]].compactMap { $0 }
        guard given.count <= 1 else { throw .usage("give only one of --skill, --boss, --tier") }
        do {
            let metric = try LeaderboardMetric(kind: kind, parameter: given.first)
            let expected: String? = switch metric {
            case .skillXP: "skill"
            case .bossKC: "boss"
            case .clues: "tier"
            case .xpGained, .levelsGained: nil
            }
            if let option = ["skill", "boss", "tier"].first(where: { arguments.values[$0] != nil }), option != expected {
                throw CommandLineError.usage("--\(option) does not apply to the \(metric.kind) leaderboard")
            }
            return metric
        } catch let error as LeaderboardMetricError {
            throw .usage(error.description)
        } catch let error as CommandLineError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
    }

    static func render(_ board: Leaderboard, clan: Clan, limit: Int) -> [String] {
        let zone = clan.zone
        var lines = [
            "\(clan.name) — \(board.metric) — \(board.timeframe): \(TextTable.time(board.window.start, in: zone)) to \(TextTable.time(board.window.end, in: zone))",
        ]
        let rows = board.rows.prefix(limit)
        if rows.isEmpty {
            lines.append("No member has two snapshots in this window yet.")
        } else {
            lines += TextTable.render(["#", "Member", "Gained", "Note"], rows.map { row in
                let notes = [row.partial ? "partial" : nil, row.estimated ? "from unranked" : nil, row.rollback ? "rollback" : nil]
                return ["\(row.rank)", row.name, TextTable.number(row.value), notes.compactMap { $0 }.joined(separator: ", ")]
            }, align: [.right, .left, .right, .left])
        }
        if !board.withoutData.isEmpty {
            lines.append("")
            lines.append("No data in window: " + board.withoutData.map(\.name).joined(separator: ", "))
        }
        return lines
    }
}
