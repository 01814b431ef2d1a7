import Discord
import Domain
import Foundation
import Services

/// `/leaderboard metric [skill|boss|tier] [timeframe]`, paged with ◀ ▶ when one embed is not enough.
struct LeaderboardCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    func run() async throws {
        let clan = try await request.clan()
        let metric = try Self.metric(from: request)
        let timeframe = try request.timeframe(in: clan)
        try await request.deferReply()
        let board: Leaderboard
        do {
            board = try await env.services.leaderboards.leaderboard(clanID: clan.id, metric: metric, timeframe: timeframe)
        } catch let unknown as UnknownMetricRow {
            throw Self.failure(unknown, metric: metric, clan: clan)
        }
        try await request.reply(LeaderboardEmbeds.message(board, clan: clan, timeframe: timeframe, page: 0))
    }

    /// The metric from the `metric` option and the `skill`, `boss` or `tier` option it needs (/leaderboard, /records).
    static func metric(from request: CommandRequest) throws -> LeaderboardMetric {
        let kind = try request.required("metric")
        let parameter: String? = switch kind {
        case "skill_xp": request.string("skill")
        case "boss_kc": request.string("boss")
        case "clues": request.string("tier")
        default: nil
        }
        return try metric(kind: kind, parameter: parameter)
    }

    /// The refusal for a skill, boss or tier no snapshot of the clan holds.
    static func failure(_ unknown: UnknownMetricRow, metric: LeaderboardMetric, clan: Clan) -> BotFailure {
        let what = switch metric {
        case .bossKC: "boss"
        case .clues: "clue tier"
        default: "skill"
        }
        return failure(unknown, what: what, name: metric.parameter, clan: clan)
    }

    /// A skill, boss or clue tier the clan's snapshots do not have, with the nearest names (/leaderboard, /records, /hiscores).
    static func failure(_ unknown: UnknownMetricRow, what: String, name: String?, clan: Clan) -> BotFailure {
        let hint = unknown.suggestions.isEmpty ? "" : " Did you mean \(unknown.suggestions.joined(separator: ", "))?"
        return BotFailure("No \(what) called '\(name ?? "")' appears in **\(clan.name)**'s snapshots.\(hint) Autocomplete lists the names.")
    }

    /// The metric, with refusals worded for the slash command (its options, not the CLI's flags).
    static func metric(kind: String, parameter: String?) throws -> LeaderboardMetric {
        do {
            return try LeaderboardMetric(kind: kind, parameter: parameter)
        } catch .missingParameter(let kind, _) {
            let (what, option, example) = switch kind {
            case "boss_kc": ("a boss", "boss", "Zulrah")
            default: ("a skill", "skill", "Attack")
            }
            throw BotFailure("This leaderboard needs \(what): fill in the `\(option)` option (e.g. \(option):\(example)).")
        } catch .unknownClueTier(let tier) {
            throw BotFailure("Unknown clue tier '\(tier)'; pick one of \(ClueTier.allCases.map(\.rawValue).joined(separator: ", ")) (autocomplete lists them).")
        } catch {
            throw BotFailure("Unknown leaderboard `\(kind)`; pick a metric from the list.")
        }
    }

    /// ◀ ▶: recomputes (from the cache) and replaces the message with the asked page.
    func pressPage(_ id: CustomID) async throws {
        guard let clanID = id.int64(0), let kind = id.argument(1), let parameter = id.argument(2),
              let timeframe = id.argument(3).flatMap(Timeframe.init(buttonKey:)), let page = id.argument(4).flatMap({ Int($0) }) else {
            throw BotFailure.malformed("button")
        }
        let clan = try await request.clan(named: "#\(clanID)")
        let metric = try LeaderboardMetric(kind: kind, parameter: parameter.isEmpty ? nil : parameter)
        let board = try await env.services.leaderboards.leaderboard(clanID: clan.id, metric: metric, timeframe: timeframe)
        try await request.responder.updateMessage(LeaderboardEmbeds.message(board, clan: clan, timeframe: timeframe, page: page))
    }
}
