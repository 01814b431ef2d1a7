import Discord
import Domain
import Foundation
import Services

/// `/hiscores metric [skill|boss|tier]`: the clan's members ranked by a current value, paged with ◀ ▶.
struct HiscoresCommands {
    let request: CommandRequest

    func run() async throws {
        let clan = try await request.clan()
        let kind = try request.required("metric")
        let parameter: String? = switch kind {
        case "skill": request.string("skill")
        case "boss": request.string("boss")
        case "clues": request.string("tier")
        default: nil
        }
        let metric = try Self.metric(kind: kind, parameter: parameter)
        let hiscores = try await load(clan: clan, metric: metric)
        try await request.reply(HiscoresEmbeds.message(hiscores, clan: clan, page: 0))
    }

    /// ◀ ▶: reads the ranking again and replaces the message with the asked page.
    func pressPage(_ id: CustomID) async throws {
        guard let clanID = id.int64(0), let kind = id.argument(1), let parameter = id.argument(2),
              let page = id.argument(3).flatMap({ Int($0) }) else {
            throw BotFailure.malformed("button")
        }
        let clan = try await request.clan(id: clanID)
        let metric = try Self.metric(kind: kind, parameter: parameter.isEmpty ? nil : parameter)
        try await request.responder.updateMessage(HiscoresEmbeds.message(try await load(clan: clan, metric: metric), clan: clan, page: page))
    }

    private func load(clan: Clan, metric: HiscoresMetric) async throws -> ClanHiscores {
        do {
            return try await request.env.services.clanHiscores.hiscores(clanID: clan.id, metric: metric)
        } catch let unknown as UnknownMetricRow {
            throw LeaderboardCommands.failure(unknown, what: metric.isSkill ? "skill" : "boss", name: metric.parameter, clan: clan)
        }
    }

    static func metric(kind: String, parameter: String?) throws -> HiscoresMetric {
        do {
            return try HiscoresMetric(kind: kind, parameter: parameter)
        } catch .missingParameter(let kind, _) {
            let (option, example) = kind == "boss" ? ("boss", "Zulrah") : ("skill", "Slayer")
            throw BotFailure("These hiscores need a \(option): fill in the `\(option)` option (e.g. \(option):\(example)).")
        } catch .unknownClueTier(let tier) {
            throw BotFailure("Unknown clue tier '\(tier)'; pick one of \(ClueTier.allCases.map(\.rawValue).joined(separator: ", ")).")
        } catch {
            throw BotFailure("Unknown hiscores `\(kind)`; pick a metric from the list.")
        }
    }
}
