import Discord
import Domain
import Foundation
import Services

/// `/contest create|edit|rule|activate|end|draw|cancel|show|list|standings|teams|entries|verify|recur|series` and the **Draw** button.
/// Leaders and officers run contests; drawing and cancelling are the leader's alone; everyone reads.
struct ContestCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    private var service: ContestService { env.contests }

    func run() async throws {
        let contests = service
        switch request.path.dropFirst().first {
        case "create": try await create(contests)
        case "edit": try await edit(contests)
        case "list": try await list(contests)
        case "rule":
            let (clan, contest) = try await target(contests)
            try await request.require(.manage, "change contest rules", in: clan)
            let kindText = try request.required("type")
            guard let kind = ContestRule.Kind(rawValue: kindText) else {
                throw BotFailure("Unknown rule type `\(kindText)`; use \(ContestRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let threshold: Int64
            var weight = Int(request.integer("weight") ?? 1)
            if contest.kind.scoresPoints {
                // Points: `points` per `unit` gained (threshold and weight mean the same when given instead).
                threshold = request.integer("unit") ?? request.integer("threshold") ?? 1
                weight = Int(request.integer("points") ?? request.integer("weight") ?? 1)
            } else {
                guard request.integer("unit") == nil, request.integer("points") == nil else {
                    throw BotFailure("`unit` and `points` are for ranked and team contests; a raffle rule takes `threshold` and `weight` (entries).")
                }
                guard let value = request.integer("threshold") else { throw BotFailure("`threshold` is required.") }
                threshold = value
            }
            let typed = request.list("targets")
            let targets = try await checkedTargets(typed, kind: kind)
            let title = request.string("title") ?? Self.defaultTitle(kind: kind, targets: targets, threshold: threshold)
            let detail: ContestDetail
            do {
                detail = try await contests.addRule(contestID: contest.id, kind: kind, targets: targets, threshold: threshold,
                                                    weight: weight, title: title)
            } catch ContestServiceError.invalidRule(let error) {
                throw BotFailure(Self.ruleRefusal(error))
            }
            try await request.reply(MessagePayload(content: "Rule added to **\(contest.name)**.", embeds: [ContestEmbeds.detail(detail)]))
        case "activate":
            let (clan, contest) = try await target(contests)
            try await request.require(.manage, "activate contests", in: clan)
            guard let activation = try await lifecycle(.activate, contest: contest, clan: clan, contests, {
                try await contests.activate(contestID: contest.id)
            }) else { return }
            try await request.reply(MessagePayload(content: "**\(contest.name)** is active: its rules are locked and its commitment is published.",
                                                   embeds: [ContestEmbeds.detail(activation.detail)]))
        case "end":
            let (clan, contest) = try await target(contests)
            try await request.require(.manage, "end contests", in: clan)
            try await request.deferReply()
            let ended: ContestEndResult?
            do {
                ended = try await lifecycle(.end, contest: contest, clan: clan, contests) { try await contests.end(contestID: contest.id) }
            } catch ContestServiceError.refused(.notYetOver(let endAt)) {
                throw BotFailure("⏳ **\(contest.name)** runs until \(Format.timestamp(endAt, "f")) (\(Format.timestamp(endAt))); it cannot end before then.")
            }
            guard let result = ended else { return }
            let ranked = result.detail.contest.kind.scoresPoints
            let note = !result.hasEntries ? (ranked ? "Nobody scored a point, so there is no ranking." : "Nobody qualified, so there will be no draw.")
                : ranked ? "The ranking is locked and its digest published" + (result.detail.publishedSecret != nil ? " with the secret" : "")
                    + ". " + (result.detail.pendingTieNote ?? "No tie at the prize places: the leader's draw confirms these places.")
                : result.detail.publishedSecret != nil
                    ? "Entries are locked; their digest and the secret are published. Once the beacon round is out anyone can compute the winners; a leader's draw announces them."
                    : "Entries are locked; their digest is published. A leader can now draw."
            try await request.reply(MessagePayload(content: note, embeds: ContestEmbeds.full(result.detail),
                                                   components: ContestEmbeds.buttons(result.detail, clanID: clan.id)))
        case "draw":
            let (clan, contest) = try await target(contests)
            try await request.require(.lead, "draw a contest", in: clan)
            try await request.deferReply()
            let result = try await Self.drawing { try await contests.draw(contestID: contest.id) }
            try await sendDrawn(result, replacing: false)
        case "cancel":
            let (clan, contest) = try await target(contests)
            try await request.require(.lead, "cancel a contest", in: clan)
            let reason = try request.required("reason")
            guard let detail = try await lifecycle(.cancel, contest: contest, clan: clan, contests, {
                try await contests.cancel(contestID: contest.id, reason: reason)
            }) else { return }
            try await request.reply(MessagePayload(content: "**\(contest.name)** was cancelled.", embeds: [ContestEmbeds.detail(detail)]))
        case "show":
            let (clan, contest) = try await target(contests)
            let detail = try await contests.detail(contestID: contest.id)
            try await request.reply(MessagePayload(embeds: ContestEmbeds.full(detail), components: ContestEmbeds.buttons(detail, clanID: clan.id)))
        case "standings": try await ContestStandingsCommands(request: request).run()
        case "teams": try await ContestTeamCommands(request: request).run()
        case "recur": try await ContestSeriesCommands(request: request).recur()
        case "series": try await ContestSeriesCommands(request: request).series()
        case "entries":
            let (_, contest) = try await target(contests)
            let detail = try await contests.detail(contestID: contest.id)
            let file = try await contests.entriesFile(contestID: contest.id)
            try await request.reply(ContestEmbeds.entries(detail, file: file))
        case "verify":
            let (_, contest) = try await target(contests)
            let verification = try await contests.verify(contestID: contest.id)
            try await request.reply(ContestEmbeds.verification(verification, contest: contest))
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    /// Runs a lifecycle step. When the contest is already past it (the bot ended it, someone else activated it…),
    /// the step's work is done: answers with where the contest is and returns nil. A refusal for another reason
    /// (activating a cancelled contest) is passed on.
    private func lifecycle<T: Sendable>(_ step: ContestLifecycleStep, contest: Contest, clan: Clan, _ contests: ContestService,
                                        _ body: @Sendable () async throws -> T) async throws -> T? {
        switch try await contests.perform(step, contestID: contest.id, body) {
        case .performed(let value):
            return value
        case .alreadyDone(let detail):
            try await request.reply(MessagePayload(content: ContestRepeats.state(detail), embeds: [ContestEmbeds.detail(detail)],
                                                   components: ContestEmbeds.buttons(detail, clanID: clan.id)))
            return nil
        }
    }

    private func create(_ contests: ContestService) async throws {
        let clan = try await request.clan()
        try await request.require(.manage, "create contests", in: clan)
        let start = try Self.time(try request.required("start"), option: "start", zone: clan.zone, now: env.clock())
        let end = try Self.futureEnd(try request.required("end"), zone: clan.zone, now: env.clock())
        let randomness: ContestRandomnessChoice = request.string("randomness") == "none" ? .none : .drand
        let kindText = request.string("kind") ?? ContestKind.raffle.rawValue
        guard let kind = ContestKind(rawValue: kindText) else {
            throw BotFailure("Unknown contest kind `\(kindText)`; use \(ContestKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let detail = try await contests.create(ContestDraft(
            clanID: clan.id, name: try request.required("name"), description: request.string("description"), prize: request.string("prize"),
            startAt: start, endAt: end, winners: Int(request.integer("winners") ?? 1), randomness: randomness, kind: kind, createdBy: try request.userID))
        let next = switch kind {
        case .raffle: "Add rules with `/contest rule contest:\(detail.id)`, then `/contest activate`."
        case .ranked: "Add points rules with `/contest rule contest:\(detail.id) unit: points:` (e.g. 1 point per 10,000 xp), then `/contest activate`."
        case .teams: "Add points rules with `/contest rule contest:\(detail.id) unit: points:` and the teams with `/contest teams`, then `/contest activate`."
        }
        try await request.reply(MessagePayload(
            content: "Draft **\(detail.contest.name)** created. " + next,
            embeds: [ContestEmbeds.detail(detail)]))
    }

    /// `/contest edit`: a draft's details and rules change until it is activated.
    private func edit(_ contests: ContestService) async throws {
        let (clan, contest) = try await target(contests)
        try await request.require(.manage, "edit contests", in: clan)
        let now = env.clock()
        var edit = ContestDraftEdit(name: request.string("name"), description: request.string("description"), prize: request.string("prize"))
        if let text = request.string("start") { edit.startAt = try Self.time(text, option: "start", zone: clan.zone, now: now) }
        if let text = request.string("end") { edit.endAt = try Self.futureEnd(text, zone: clan.zone, now: now) }
        if let winners = request.integer("winners") { edit.winnersCount = Int(winners) }
        if let text = request.string("randomness") { edit.randomness = text == "none" ? ContestRandomnessChoice.none : .drand }
        let removeRule = request.integer("remove_rule").map { Int($0) }
        guard !edit.isEmpty || removeRule != nil else {
            throw BotFailure("Nothing to change: give a new name, start, end, prize, winners, randomness or description, or a rule to remove.")
        }
        let detail = try await contests.edit(contestID: contest.id, edit, removingRule: removeRule)
        try await request.reply(MessagePayload(content: "Draft **\(detail.contest.name)** updated.", embeds: [ContestEmbeds.detail(detail)]))
    }

    private func list(_ contests: ContestService) async throws {
        let clan = try await request.clan()
        var status: ContestStatus?
        if let text = request.string("status") {
            guard let parsed = ContestStatus(rawValue: text) else { throw BotFailure("Unknown status `\(text)`.") }
            status = parsed
        }
        let list = try await contests.list(clanID: clan.id, status: status)
        try await request.reply(ContestEmbeds.list(list, clan: clan))
    }

    /// The clan and the contest named by the `contest` option ("12", "#12" or its name), which must be in this server.
    func target(_ contests: ContestService) async throws -> (Clan, Contest) {
        let text = try request.required("contest")
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if let id = Int64(digits) {
            guard let detail = try? await contests.detail(contestID: id),
                  let clan = try? await env.clans.clan(id: detail.contest.clanID, guildID: try request.guildID) else {
                throw BotFailure("There is no contest #\(id) in this server. `/contest list` shows them.")
            }
            return (clan, detail.contest)
        }
        let clan = try await request.clan()
        let matches = try await contests.list(clanID: clan.id).filter { $0.name.caseInsensitiveCompare(text) == .orderedSame }
        guard let contest = matches.last else {
            throw BotFailure("**\(clan.name)** has no contest called **\(text)**. `/contest list` shows them.")
        }
        return (clan, contest)
    }

    /// Sends a drawn contest: the detail with the winners, then the proof and recipe.
    private func sendDrawn(_ result: ContestDrawResult, replacing: Bool) async throws {
        let ranked = result.detail.contest.kind.scoresPoints
        var note = result.alreadyDrawn
            ? "This contest was already \(ranked ? "ranked" : "drawn"); here is the stored result (\(ranked ? "a tie-break" : "a draw") is never repeated)."
            : ranked ? "🏆 The final ranking is done." + (result.detail.tieBreakNote != nil ? " Ties at the prize places were decided by the committed draw." : "")
            : "🎉 The draw is done."
        if let precomputable = result.detail.precomputableNote { note += " " + precomputable }
        let embeds = ContestEmbeds.full(result.detail)
        let first = MessagePayload(content: note, embeds: Array(embeds.prefix(2)))
        if replacing { try await request.responder.updateMessage(first) } else { try await request.reply(first) }
        for proof in ContestEmbeds.proof(result.detail).messages() {
            try await request.responder.followUp(MessagePayload(embeds: proof))
        }
    }

    // MARK: - The Draw button

    /// Checked when pressed (the leader only); acknowledges at once with a visible "drawing…" state, then
    /// edits the message to the winner, the proof and the recipe.
    func pressDraw(_ id: CustomID) async throws {
        let contests = service
        guard let clanID = id.int64(0), let contestID = id.int64(1) else { throw BotFailure.malformed("button") }
        let clan = try await request.clan(id: clanID)
        let detail = try await contests.detail(contestID: contestID)
        guard detail.contest.clanID == clan.id else { throw BotFailure("That contest is not in this clan.") }
        try await request.require(.lead, "draw a contest", in: clan)
        try await request.responder.updateMessage(MessagePayload(embeds: [ContestEmbeds.drawing(detail)], components: ContestEmbeds.drawingButtons()))
        do {
            let result = try await Self.drawing { try await contests.draw(contestID: contestID) }
            try await sendDrawn(result, replacing: true)
        } catch {
            // Put the contest back as it was, then explain privately (the router sends the error as a follow-up).
            let current = (try? await contests.detail(contestID: contestID)) ?? detail
            try? await request.responder.updateMessage(MessagePayload(embeds: ContestEmbeds.full(current), components: ContestEmbeds.buttons(current, clanID: clan.id)))
            throw error
        }
    }

    // MARK: - Autocomplete

    func autocomplete(_ option: String, typed: String) async throws -> [CommandChoice] {
        switch option {
        case "contest":
            let contests = env.contests
            let clan = try await request.clan()
            let list = try await contests.list(clanID: clan.id).reversed()
            let labels = list.map { "#\($0.id) \($0.name) · \($0.status.rawValue)" }
            let byLabel = Dictionary(zip(labels, list.map { String($0.id) }), uniquingKeysWith: { first, _ in first })
            return BotDirectory.rank(labels, typed: typed, limit: Autocomplete.limit).map { CommandChoice($0, byLabel[$0] ?? $0) }
        case "series":
            return try await ContestSeriesCommands(request: request).autocomplete(typed: typed)
        case "targets", "metrics":
            // Skills, bosses or clue tiers depending on the rule type chosen; a comma list like events.
            let names: [String] = switch request.string("type") {
            case "boss_kc": Autocomplete.bosses
            case "clue_count": ClueTier.allCases.map(\.rawValue)
            default: Autocomplete.skills
            }
            return Autocomplete.commaList(names, typed: typed, separator: ", ")
        default:
            return []
        }
    }

    // MARK: - Helpers

    /// Skill and boss targets spelled as the hiscores spell them. A typo would otherwise count zero for everyone
    /// once the rules are locked, so a name neither in the game's row list nor in any stored snapshot is refused.
    func checkedTargets(_ targets: [String], kind: ContestRule.Kind) async throws -> [String] {
        let known: [String]
        let what: String
        switch kind {
        case .skillXP, .skillLevels:
            (known, what) = (Autocomplete.skills, "skill")
        case .bossKC:
            (known, what) = (Autocomplete.bosses, "boss")
        case .totalXP, .clueCount:
            return targets
        }
        var checked: [String] = []
        for target in targets {
            if let match = known.first(where: { $0.caseInsensitiveCompare(target) == .orderedSame }) {
                checked.append(match)
            } else if let stored = try await env.directory.storedRowName(kind == .bossKC ? .activity(target) : .skill(target)) {
                checked.append(stored)
            } else {
                let close = BotDirectory.rank(known, typed: String(target.prefix(3)), limit: 3)
                throw BotFailure("There is no \(what) called '\(target)' on the hiscores."
                                 + (close.isEmpty ? "" : " Did you mean \(close.joined(separator: ", "))?") + " Autocomplete on `targets` lists them.")
            }
        }
        return checked
    }

    /// Runs a draw, saying "too early" with a Discord timestamp (each reader's own time) rather than an ISO time.
    static func drawing(_ draw: () async throws -> ContestDrawResult) async throws -> ContestDrawResult {
        do {
            return try await draw()
        } catch ContestServiceError.beaconNotYetPublished(let round, let publishedAt) {
            throw BotFailure("⏳ Too early: this contest draws with drand round \(round), which is published \(Format.timestamp(publishedAt)) "
                             + "(\(Format.timestamp(publishedAt, "f"))). Draw after that.")
        }
    }

    /// A refused rule in the slash command's words (its `type` choices and `targets` option), not the stored kinds.
    static func ruleRefusal(_ error: ContestRuleError) -> String {
        switch error {
        case .missingTargets(let kind):
            let (what, example) = kind == .bossKC ? ("boss", "Zulrah") : ("skill", "Slayer")
            return "This rule type needs at least one \(what) in `targets` (e.g. targets:\(example)); autocomplete lists them."
        case .unexpectedTargets:
            return "*Total XP gained* counts every skill: leave `targets` empty."
        case .overallIsTotalXP:
            return "For Overall, choose the *Total XP gained* rule type."
        default:
            return "⚠️ The rule was not saved: \(error)."
        }
    }

    static func defaultTitle(kind: ContestRule.Kind, targets: [String], threshold: Int64) -> String {
        let what = targets.isEmpty ? "" : targets.joined(separator: "/") + " "
        return switch kind {
        case .skillXP: "\(Format.compact(threshold)) \(what)xp"
        case .skillLevels: "\(threshold) \(what)levels"
        case .totalXP: "\(Format.compact(threshold)) total xp"
        case .bossKC: "\(threshold) \(what)kills"
        case .clueCount: "\(threshold) \(what)clues"
        }
    }

    /// ISO 8601 ("2026-12-01T18:00:00Z"), a date (midnight in the clan's zone), or "now".
    /// The `end` option, which must lie ahead: a past end would only fail later, at activation.
    static func futureEnd(_ text: String, zone: TimeZone, now: Date) throws -> Date {
        let end = try time(text, option: "end", zone: zone, now: now)
        guard end > now else { throw BotFailure("`end` (\(Format.timestamp(end, "f"))) is already past; a contest needs an end in the future.") }
        return end
    }

    static func time(_ text: String, option: String, zone: TimeZone, now: Date) throws -> Date {
        if text.lowercased() == "now" { return now }
        if let date = TimeInput.parse(text, zone: zone) { return date }
        throw BotFailure("`\(option)` '\(text)' is not a time: use a date such as 2026-12-01 (midnight, clan time), a time such as 2026-12-01T18:00:00Z, or `now`.")
    }
}
