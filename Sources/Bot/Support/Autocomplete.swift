import Discord
import Domain
import Foundation
import Services

/// Autocomplete answers: skills, bosses and clue tiers from the game's row list, clans, members' RSNs,
/// recent jobs, webhooks and contests from the database. No network: Discord drops an answer after 3 s.
struct Autocomplete {
    let request: CommandRequest
    static let limit = CommandChoice.maximumChoices

    func answer() async {
        let choices = (try? await suggestions()) ?? []
        try? await request.responder.autocomplete(choices)
    }

    func suggestions() async throws -> [CommandChoice] {
        guard let focused = request.command?.focused else { return [] }
        let typed = focused.value?.string ?? focused.value?.integer.map(String.init) ?? ""
        let env = request.env
        switch focused.name {
        case "clan":
            let clans = try await env.clans.list(guildID: try request.guildID)
            let byLabel = Dictionary(clans.map { ("\($0.name) (\($0.slug))", $0.slug) }, uniquingKeysWith: { first, _ in first })
            return BotDirectory.rank(clans.map { "\($0.name) (\($0.slug))" }, typed: typed, limit: Self.limit)
                .map { CommandChoice($0, byLabel[$0] ?? $0) }
        case "rsn":
            let clan = try await request.clan()
            return try await env.directory.memberNames(clanID: clan.id, matching: typed, limit: Self.limit).map { CommandChoice($0, $0) }
        case "skill":
            return Self.names(Self.skills, typed)
        case "boss":
            return Self.names(Self.bosses, typed)
        case "tier":
            return Self.names(ClueTier.allCases.map(\.rawValue), typed)
        case "timezone":
            return Self.names(["UTC"] + TimeZone.knownTimeZoneIdentifiers.sorted(), typed)
        case "job":
            let clan = try await request.clan()
            let now = env.clock()
            return try await env.directory.recentJobs(clanID: clan.id, limit: Self.limit).map { run in
                CommandChoice("\(run.jobID) · \(run.status.rawValue) \(run.succeededCount)/\(run.memberCount) · \(Format.ago(run.queuedAt, now: now))", run.jobID)
            }
        case "events":
            return Self.eventList(typed)
        case "id":
            let clan = try await request.clan()
            guard try await request.role(in: clan).map({ $0 >= .officer }) == true else { return [] }
            let hooks = try await env.webhooks.list(clanID: clan.id)
            return hooks.filter { typed.isEmpty || String($0.id).hasPrefix(typed) }.prefix(Self.limit).map {
                CommandChoice(name: "#\($0.id) \($0.provider.rawValue) · \($0.maskedURL)", value: .integer($0.id))
            }
        case "contest", "targets":
            return try await ContestCommands(request: request).autocomplete(focused.name, typed: typed)
        default:
            return []
        }
    }

    static func names(_ names: [String], _ typed: String) -> [CommandChoice] {
        BotDirectory.rank(names, typed: typed, limit: limit).map { CommandChoice($0, $0) }
    }

    /// The skills a command or a contest rule may name (Overall is not one to pick).
    static let skills = HiscoresRows.skillNames.filter { $0 != "Overall" }
    /// The bosses, out of the hiscores' activity rows.
    static let bosses = HiscoresRows.activityNames.filter { ActivityCategory(activityName: $0) == .boss }

    /// A comma list being typed, "a, b, pa": the names chosen so far ("a", "b") and the part being typed ("pa").
    static func commaParts(_ typed: String) -> (chosen: [String], partial: String) {
        var parts = typed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let partial = parts.popLast() ?? ""
        return (parts.filter { !$0.isEmpty }, partial)
    }

    /// Completes a comma list: the chosen names followed by each remaining one of `names` that matches the part
    /// being typed, joined with `separator`.
    static func commaList(_ names: [String], typed: String, separator: String) -> [CommandChoice] {
        let (chosen, partial) = commaParts(typed)
        return BotDirectory.rank(names.filter { !chosen.contains($0) }, typed: partial, limit: limit).map {
            let value = (chosen + [$0]).joined(separator: separator)
            return CommandChoice(value, value)
        }
    }

    /// "snapshot.finished, con" → the chosen events followed by each remaining one that matches "con".
    static func eventList(_ typed: String) -> [CommandChoice] {
        let all = commaParts(typed).chosen.isEmpty ? [CommandChoice("all events", "all")] : []
        return Array((all + commaList(WebhookEvent.allCases.map(\.rawValue), typed: typed, separator: ",")).prefix(limit))
    }
}
