import Domain
import Foundation
import Services
import Storage
import Transport

/// `clanbot contest …`: run a contest by hand and fetch what it published (the entry file, the proof).
enum ContestCommand {
    static let subcommand = Subcommand(
        name: "contest",
        summary: "contests: create, add rules, activate, standings, end, draw, cancel; show, entries file, proof",
        usage: """
        Usage: clanbot contest list <clan> [--status draft|active|ended|drawn|cancelled]
               clanbot contest show <contest-id>
               clanbot contest create <clan> <name> --start TIME --end TIME [--winners N] [--prize TEXT]
                                      [--description TEXT] [--no-beacon] [--kind raffle|ranked|teams]
               clanbot contest edit <contest-id> [--name TEXT] [--start TIME] [--end TIME] [--winners N]
                                    [--prize TEXT|-] [--description TEXT|-] [--beacon|--no-beacon]
               clanbot contest rule <contest-id> <type> <threshold> --title TEXT [--targets A,B] [--weight N]
               clanbot contest unrule <contest-id> <position>
               clanbot contest activate <contest-id>
               clanbot contest standings <contest-id>
               clanbot contest end <contest-id>
               clanbot contest draw <contest-id>
               clanbot contest cancel <contest-id> --reason TEXT
               clanbot contest entries <contest-id>     the entry file, byte for byte (pipe it to sha256sum)
               clanbot contest lock <contest-id>        what the end published, as JSON (for clanbot verify --lock)
               clanbot contest proof <contest-id>       the draw's proof JSON (for clanbot verify --proof)
               clanbot contest verify <contest-id>      check the stored draw with the stored entry file

        TIME is ISO 8601 (2026-06-01T18:00:00Z) or a date (2026-06-01, midnight UTC). <type> is skill_xp,
        skill_levels, total_xp, boss_kc or clue_count; --targets names skills, bosses or clue tiers.
        Activation publishes the commitment and fixes the drand quicknet round (DRAND_BASE) the draw will
        use; --no-beacon drafts a contest without external randomness (the host could predict its draw).
        A draft can be edited until it is activated; '-' removes its prize or description.
        --kind ranked (the top --winners members by points win) or teams (the best teams win) makes a points contest:
        a rule's <threshold> is then the unit and --weight the points per unit (docs/draw-scheme.md §8); teams are
        set with /contest teams in Discord. Ties at the prize places are decided by the committed draw.
        Activating, ending or cancelling again (the bot ends contests at their end time by itself) prints where the
        contest already is and exits 0.
        The draw scheme is docs/draw-scheme.md (clanbot-draw-v2 for new contests; v1 contests stay v1).
        """
    ) { context in
        guard let action = context.arguments.first else {
            throw CommandLineError.usage("contest needs an action: list, show, create, rule, unrule, activate, standings, end, draw, cancel, entries, lock, proof or verify")
        }
        let rest = Array(context.arguments.dropFirst())
        switch action {
        case "list": return try await list(context, rest)
        case "show": return try await show(context, rest)
        case "create": return try await create(context, rest)
        case "edit": return try await edit(context, rest)
        case "rule": return try await rule(context, rest)
        case "unrule": return try await unrule(context, rest)
        case "activate": return try await activate(context, rest)
        case "standings": return try await standings(context, rest)
        case "end": return try await end(context, rest)
        case "draw": return try await draw(context, rest)
        case "cancel": return try await cancel(context, rest)
        case "entries": return try await entries(context, rest)
        case "lock": return try await lock(context, rest)
        case "proof": return try await proof(context, rest)
        case "verify": return try await verify(context, rest)
        default:
            throw CommandLineError.usage("unknown contest action '\(action)'; use list, show, create, edit, rule, unrule, activate, standings, end, draw, cancel, entries, lock, proof or verify")
        }
    }

    // MARK: actions

    static func list(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["status"])
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("contest list takes one clan") }
        var status: ContestStatus?
        if let text = arguments.values["status"] {
            guard let parsed = ContestStatus(rawValue: text.lowercased()) else {
                throw CommandLineError.usage("unknown status '\(text)'; use \(ContestStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let contests = try await services.contests.list(clanID: clan.id, status: status)
        for line in ContestRendering.list(contests, clan: clan) { context.output.print(line) }
        return 0
    }

    static func show(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "show")
        let detail = try await services.contests.detail(contestID: id)
        for line in ContestRendering.detail(detail) { context.output.print(line) }
        return 0
    }

    static func create(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["start", "end", "winners", "prize", "description", "kind"], switches: ["no-beacon"])
        guard arguments.positionals.count == 2 else {
            throw CommandLineError.usage("contest create takes a clan and a name (quote names with spaces)")
        }
        guard let startText = arguments.values["start"], let endText = arguments.values["end"] else {
            throw CommandLineError.usage("contest create needs --start TIME and --end TIME")
        }
        let start = try time(startText, flag: "--start")
        let end = try time(endText, flag: "--end")
        let winners = try winnerCount(arguments.values["winners"]) ?? 1
        let kindText = arguments.values["kind"] ?? ContestKind.raffle.rawValue
        guard let kind = ContestKind(rawValue: kindText) else {
            throw CommandLineError.usage("--kind must be \(ContestKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kindText)'")
        }
        let services = try await CommandServices.open(context.configuration)
        let clan = try await services.clans.find(arguments.positionals[0], guildID: CommandServices.guild(context.configuration))
        let detail = try await services.contests.create(ContestDraft(
            clanID: clan.id, name: arguments.positionals[1], description: arguments.values["description"], prize: arguments.values["prize"],
            startAt: start, endAt: end, winners: winners, randomness: arguments.switches.contains("no-beacon") ? .none : .drand, kind: kind, createdBy: "cli"))
        context.output.print("Created draft contest #\(detail.id) \"\(detail.contest.name)\" in \(clan.name). Add rules with 'clanbot contest rule \(detail.id) …', then activate it.")
        if detail.randomnessWarning != nil {
            context.output.print("Warning: \(RandomnessMode.noneWarning).")
        }
        return 0
    }

    static func edit(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["name", "start", "end", "winners", "prize", "description"],
                                             switches: ["beacon", "no-beacon"])
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("contest edit takes a contest id and what to change") }
        let id = try number(arguments.positionals[0], what: "contest id")
        var edit = ContestDraftEdit(name: arguments.values["name"], description: arguments.values["description"], prize: arguments.values["prize"])
        if let text = arguments.values["start"] { edit.startAt = try time(text, flag: "--start") }
        if let text = arguments.values["end"] { edit.endAt = try time(text, flag: "--end") }
        edit.winnersCount = try winnerCount(arguments.values["winners"])
        switch (arguments.switches.contains("beacon"), arguments.switches.contains("no-beacon")) {
        case (true, true): throw CommandLineError.usage("give --beacon or --no-beacon, not both")
        case (true, false): edit.randomness = .drand
        case (false, true): edit.randomness = ContestRandomnessChoice.none
        case (false, false): break
        }
        guard !edit.isEmpty else {
            throw CommandLineError.usage("nothing to change: give --name, --start, --end, --winners, --prize, --description, --beacon or --no-beacon")
        }
        let services = try await CommandServices.open(context.configuration)
        let detail = try await services.contests.edit(contestID: id, edit)
        context.output.print("Updated draft contest #\(detail.id) \"\(detail.contest.name)\".")
        if detail.randomnessWarning != nil {
            context.output.print("Warning: \(RandomnessMode.noneWarning).")
        }
        return 0
    }

    /// `--winners`: nil when not given.
    static func winnerCount(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 1 else { throw CommandLineError.usage("--winners must be a whole number of at least 1 (got '\(text)')") }
        return value
    }

    static func rule(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["title", "targets", "weight"])
        guard arguments.positionals.count == 3 else {
            throw CommandLineError.usage("contest rule takes a contest id, a type and a threshold, e.g. contest rule 3 skill_xp 120000 --targets Slayer --title \"Slayer grind\"")
        }
        let id = try number(arguments.positionals[0], what: "contest id")
        guard let kind = ContestRule.Kind(rawValue: arguments.positionals[1].lowercased()) else {
            throw CommandLineError.usage("unknown rule type '\(arguments.positionals[1])'; use \(ContestRule.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let threshold = try number(arguments.positionals[2].replacingOccurrences(of: ",", with: ""), what: "threshold")
        guard let title = arguments.values["title"] else { throw CommandLineError.usage("a rule needs --title TEXT (shown to the clan)") }
        var weight = 1
        if let text = arguments.values["weight"] {
            guard let value = Int(text) else { throw CommandLineError.usage("--weight must be a whole number (got '\(text)')") }
            weight = value
        }
        let targets = (arguments.values["targets"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let services = try await CommandServices.open(context.configuration)
        let detail = try await services.contests.addRule(
            contestID: id, kind: kind, targets: targets, threshold: threshold, weight: weight, title: title)
        if let added = detail.contest.rules.last {
            context.output.print("Added rule \(added.position) to contest #\(id): \(ContestRendering.rule(added))")
        }
        return 0
    }

    static func unrule(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest)
        guard arguments.positionals.count == 2 else { throw CommandLineError.usage("contest unrule takes a contest id and a rule position") }
        let id = try number(arguments.positionals[0], what: "contest id")
        let position = Int(try number(arguments.positionals[1], what: "rule position"))
        let services = try await CommandServices.open(context.configuration)
        let detail = try await services.contests.removeRule(contestID: id, position: position)
        context.output.print("Removed rule \(position) from contest #\(id); \(detail.contest.rules.count) rule\(detail.contest.rules.count == 1 ? "" : "s") left.")
        return 0
    }

    static func activate(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "activate")
        let contests = services.contests
        guard let activation = try await lifecycle(context, .activate, id, contests, {
            try await contests.activate(contestID: id)
        }) else { return 0 }
        context.output.print("Contest #\(id) is active; its rules are locked. Publish this commitment:")
        context.output.print("")
        for line in activation.announcement.split(separator: "\n", omittingEmptySubsequences: false) { context.output.print("  " + line) }
        return 0
    }

    static func standings(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "standings")
        let standings = try await services.contests.standings(contestID: id)
        for line in ContestRendering.standings(standings) { context.output.print(line) }
        return 0
    }

    static func end(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "end")
        let contests = services.contests
        guard let result = try await lifecycle(context, .end, id, contests, {
            try await contests.end(contestID: id)
        }) else { return 0 }
        for line in ContestRendering.end(result) { context.output.print(line) }
        return 0
    }

    static func draw(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "draw")
        let result = try await services.contests.draw(contestID: id)
        if result.alreadyDrawn { context.output.print("Contest #\(id) was already drawn; this is the stored result (draws are never repeated).") }
        for line in ContestRendering.detail(result.detail) { context.output.print(line) }
        return 0
    }

    static func cancel(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let arguments = try CommandArguments(rest, options: ["reason"])
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("contest cancel takes one contest id") }
        guard let reason = arguments.values["reason"] else { throw CommandLineError.usage("a cancellation needs --reason TEXT; it is shown to the clan") }
        let id = try number(arguments.positionals[0], what: "contest id")
        let services = try await CommandServices.open(context.configuration)
        let contests = services.contests
        guard try await lifecycle(context, .cancel, id, contests, {
            try await contests.cancel(contestID: id, reason: reason)
        }) != nil else { return 0 }
        context.output.print("Contest #\(id) was cancelled: \(reason)")
        return 0
    }

    /// Prints the entry file exactly: `Output.print` ends each line with "\n", so the text goes without its last one.
    static func entries(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "entries")
        let file = try await services.contests.entriesFile(contestID: id)
        guard file.last == 0x0A else {
            context.output.error("contest #\(id) ended without entries: the entry file is empty (SHA-256 e3b0c442…b855, N = 0)")
            return 0
        }
        context.output.print(String(decoding: file.dropLast(), as: UTF8.self))
        return 0
    }

    /// The lock record: under clanbot-draw-v2 with a beacon it carries the secret, for `clanbot verify --lock`.
    static func lock(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "lock")
        let detail = try await services.contests.detail(contestID: id)
        guard let lock = detail.lock else {
            throw CommandLineError.failed("contest #\(id) is \(detail.status.rawValue); its entries lock when it ends")
        }
        context.output.print(lock.json)
        return 0
    }

    static func proof(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "proof")
        let detail = try await services.contests.detail(contestID: id)
        guard let json = detail.proofJSON else {
            throw CommandLineError.failed("contest #\(id) is \(detail.status.rawValue); a proof exists only after the draw")
        }
        context.output.print(json)
        return 0
    }

    static func verify(_ context: Subcommand.Context, _ rest: [String]) async throws -> Int32 {
        let (id, services) = try await contestID(context, rest, "verify")
        let verification = try await services.contests.verify(contestID: id)
        let report = verification.ranking.map { VerifyCommand.rankingReport(proof: $0, checks: verification.checks, notes: verification.notes) }
            ?? VerifyCommand.report(proof: verification.proof, checks: verification.checks, notes: verification.notes)
        for line in report {
            context.output.print(line)
        }
        return verification.passed ? 0 : 1
    }

    // MARK: helpers

    /// Runs a lifecycle step. When the contest is already past it (the bot ended it at its end time, another
    /// officer activated it…) the work is done: prints where the contest is and returns nil, exit status 0.
    static func lifecycle<T: Sendable>(_ context: Subcommand.Context, _ step: ContestLifecycleStep, _ id: Int64, _ contests: ContestService,
                                       _ body: @Sendable () async throws -> T) async throws -> T? {
        switch try await contests.perform(step, contestID: id, body) {
        case .performed(let value):
            return value
        case .alreadyDone(let detail):
            for line in ContestRendering.alreadyDone(detail) { context.output.print(line) }
            return nil
        }
    }

    static func contestID(_ context: Subcommand.Context, _ rest: [String], _ action: String) async throws -> (Int64, CommandServices) {
        let arguments = try CommandArguments(rest)
        guard arguments.positionals.count == 1 else { throw CommandLineError.usage("contest \(action) takes one contest id") }
        let id = try number(arguments.positionals[0], what: "contest id")
        return (id, try await CommandServices.open(context.configuration))
    }

    static func number(_ text: String, what: String) throws(CommandLineError) -> Int64 {
        let trimmed = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let value = Int64(trimmed) else { throw .usage("the \(what) must be a number (got '\(text)')") }
        return value
    }

    /// ISO 8601 with or without fractional seconds, or a plain date (midnight UTC).
    static func time(_ text: String, flag: String) throws(CommandLineError) -> Date {
        if let date = TimeInput.parse(text, zone: TimeZone(identifier: "UTC") ?? .gmt) { return date }
        throw .usage("\(flag) '\(text)' is not a time; use ISO 8601 such as 2026-06-01T18:00:00Z, or a date such as 2026-06-01")
    }
}
