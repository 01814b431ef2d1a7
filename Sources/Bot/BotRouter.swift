import Discord
import Foundation

/// clanbot's `InteractionHandler`: routes slash commands by path ("clan info", "contest draw"), buttons by
/// custom_id action (see `CustomID`) and autocomplete by command, to one handler per command group.
/// Whatever a handler throws becomes a private (ephemeral) message saying what to do about it.
public struct BotRouter: InteractionHandler {
    let env: BotEnvironment
    let log: @Sendable (String) -> Void

    public init(environment: BotEnvironment, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.env = environment
        self.log = log
    }

    public func handle(_ interaction: Interaction, responder: InteractionResponder) async {
        let request = CommandRequest(interaction: interaction, responder: responder, env: env)
        switch interaction.type {
        case .ping:
            try? await responder.respond(.pong)
        case .autocomplete:
            await Autocomplete(request: request).answer()
        case .applicationCommand:
            await run(request, label: request.commandName) { try await self.command(request) }
        case .messageComponent:
            await run(request, label: "button \(interaction.component?.customID ?? "?")") { try await self.press(request) }
        case .modalSubmit, .unknown:
            try? await responder.reply("clanbot does not know what to do with this yet.", ephemeral: true)
        }
    }

    private func command(_ request: CommandRequest) async throws {
        switch request.path.first {
        case "clan": try await ClanCommands(request: request).run()
        case "snapshot": try await SnapshotCommands(request: request).run()
        case "schedule": try await ScheduleCommands(request: request).run()
        case "stats": try await StatsCommands(request: request).run()
        case "leaderboard": try await LeaderboardCommands(request: request).run()
        case "gains": try await GainsCommands(request: request).run()
        case "achievements": try await AchievementCommands(request: request).run()
        case "records": try await RecordsCommands(request: request).run()
        case "hiscores": try await HiscoresCommands(request: request).run()
        case "player": try await PlayerCommands(request: request).run()
        case "webhook": try await WebhookCommands(request: request).run()
        case "announce": try await AnnounceCommands(request: request).run()
        case "contest": try await ContestCommands(request: request).run()
        default: throw BotFailure("clanbot does not know \(request.commandName). The server's commands may be out of date; ask an admin to run `clanbot register-commands`.")
        }
    }

    private func press(_ request: CommandRequest) async throws {
        guard let text = request.interaction.component?.customID, let id = CustomID(parsing: text) else {
            throw BotFailure.malformed("button")
        }
        switch id.action {
        case "snap.run": try await SnapshotCommands(request: request).pressRunNow(id)
        case "jobs.refresh": try await SnapshotCommands(request: request).pressRefresh(id)
        case "lb.page": try await LeaderboardCommands(request: request).pressPage(id)
        case "hs.page": try await HiscoresCommands(request: request).pressPage(id)
        case "contest.draw": try await ContestCommands(request: request).pressDraw(id)
        case "cs.page": try await ContestStandingsCommands(request: request).pressPage(id)
        default: throw BotFailure("This button belongs to an older version of clanbot. Run the command again for a fresh one.")
        }
    }

    /// Runs a handler and turns its failure into a private answer (a public "thinking…" is deleted first,
    /// see `InteractionResponder.failPrivately`).
    private func run(_ request: CommandRequest, label: String, _ body: @Sendable () async throws -> Void) async {
        do {
            try await body()
        } catch {
            let message = Self.describe(error)
            if !(error is BotFailure) { log("\(label) failed: \(error)") }
            do {
                try await request.responder.failPrivately(message)
            } catch {
                log("\(label): could not send the failure message: \(error)")
            }
        }
        await request.tellOfficersOfRefusedChannels()
    }

    /// The sentence a person sees for an error. Service and storage errors are already worded for people.
    static func describe(_ error: any Error) -> String {
        if let failure = error as? BotFailure { return failure.message }
        let text = String(describing: error)
        return "⚠️ " + text.prefix(1).uppercased() + text.dropFirst()
    }
}
