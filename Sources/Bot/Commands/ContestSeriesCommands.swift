import Discord
import Domain
import Foundation
import Services

/// `/contest recur` (a recurring contest: Skill or Boss of the Week) and `/contest series [action] [series]`
/// (list them with their next edition; pause, resume or stop one). The bot makes each edition by itself.
struct ContestSeriesCommands {
    let request: CommandRequest
    var contests: ContestService { request.env.contests }

    /// `/contest recur name: kind: type: start: [metrics] [weeks] [days] [unit|threshold] [points|weight] [winners] [prize] [teams] [randomness]`.
    func recur() async throws {
        let clan = try await request.clan()
        try await request.require(.manage, "create recurring contests", in: clan)
        let kindText = try request.required("kind")
        guard let kind = ContestKind(rawValue: kindText) else {
            throw BotFailure("Unknown contest kind `\(kindText)`; use \(ContestKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let typeText = try request.required("type")
        guard let ruleKind = ContestRule.Kind(rawValue: typeText) else {
            throw BotFailure("Unknown rule type `\(typeText)`; use \(ContestRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let typed = request.list("metrics")
        if ruleKind != .totalXP, typed.isEmpty {
            throw BotFailure("List the metrics to rotate through in `metrics`, e.g. `Slayer, Fishing, Agility` or `Zulrah, Vorkath`; each edition takes the next.")
        }
        let metrics = try await ContestCommands(request: request).checkedTargets(typed, kind: ruleKind)
        let threshold: Int64
        let weight: Int
        if kind.scoresPoints {
            threshold = request.integer("unit") ?? 1
            weight = Int(request.integer("points") ?? 1)
        } else {
            guard request.integer("unit") == nil, request.integer("points") == nil else {
                throw BotFailure("`unit` and `points` are for ranked and team series; a raffle series takes `threshold` (and `weight`, entries).")
            }
            guard let value = request.integer("threshold") else { throw BotFailure("A raffle series needs `threshold`: how much to gain for an entry.") }
            threshold = value
            weight = Int(request.integer("weight") ?? 1)
        }
        let teamCount = request.integer("teams").map { Int($0) }
        if kind == .teams, teamCount == nil {
            throw BotFailure("A teams series needs `teams`: how many balanced teams each edition is split into.")
        }
        let start = try ContestCommands.time(try request.required("start"), option: "start", zone: clan.zone, now: env.clock())
        let weeks = Int(request.integer("weeks") ?? 1)
        let template = ContestSeriesTemplate(
            clanID: clan.id, name: try request.required("name"), kind: kind, ruleKind: ruleKind, metrics: metrics, threshold: threshold,
            weight: weight, winners: Int(request.integer("winners") ?? 1), prize: request.string("prize"),
            randomness: request.string("randomness") == "none" ? .none : .drand, teamCount: kind == .teams ? teamCount : nil,
            firstStart: start, weeks: weeks, durationDays: request.integer("days").map { Int($0) }, createdBy: try request.userID)
        let summary: ContestSeriesSummary
        do {
            summary = try await contests.createSeries(template)
        } catch ContestServiceError.invalidRequest(let message) {
            throw BotFailure("The series was not created: \(message).")
        }
        try await request.reply(MessagePayload(
            content: "Series **\(summary.series.name)** created. The bot makes and activates each edition an hour before it starts, "
                + "announces it, and ends it on time; `/contest series` lists the series.",
            embeds: [SeriesEmbeds.detail(summary)]))
    }

    /// `/contest series [action: list|pause|resume|stop] [series]`.
    func series() async throws {
        let clan = try await request.clan()
        let action = request.string("action") ?? "list"
        guard action != "list" else {
            try await request.reply(SeriesEmbeds.list(try await contests.series(clanID: clan.id), clan: clan))
            return
        }
        let status: ContestSeriesStatus
        switch action {
        case "pause": status = .paused
        case "resume": status = .running
        case "stop": status = .stopped
        default: throw BotFailure("Unknown action `\(action)`; use list, pause, resume or stop.")
        }
        try await request.require(.manage, "\(action) a recurring contest", in: clan)
        guard let name = request.string("series") else { throw BotFailure("Name the series to \(action) with `series:`; `/contest series` lists them.") }
        let summary: ContestSeriesSummary
        do {
            summary = try await contests.setSeriesStatus(clanID: clan.id, name: name, status)
        } catch ContestServiceError.invalidRequest(let message) {
            throw BotFailure("Nothing changed: \(message).")
        }
        let said = switch status {
        case .paused: "paused: no new edition is made until it is resumed (the one running, if any, finishes)"
        case .running: "running again" + (summary.nextStart.map { ": the next edition starts \(Format.timestamp($0, "f"))" } ?? "")
        case .stopped: "stopped for good: no new edition is made; past editions stay as they are"
        }
        try await request.reply(MessagePayload(content: "Series **\(summary.series.name)** is \(said).", embeds: [SeriesEmbeds.detail(summary)]))
    }

    private var env: BotEnvironment { request.env }

    func autocomplete(typed: String) async throws -> [CommandChoice] {
        let clan = try await request.clan()
        let names = try await contests.series(clanID: clan.id).filter { $0.series.status != .stopped }.map(\.series.name)
        return BotDirectory.rank(names, typed: typed, limit: Autocomplete.limit).map { CommandChoice($0, $0) }
    }
}
