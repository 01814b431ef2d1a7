import Discord
import Domain
import Foundation
import Services

/// `/snapshot run|status|player` and the **Run snapshot now** and **Refresh** buttons.
struct SnapshotCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    func run() async throws {
        switch request.path.dropFirst().first {
        case "run": try await runBatch(clan: try await request.clan())
        case "status": try await status()
        case "player": try await player()
        default: throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    /// Starts a batch and keeps the deferred reply up to date as members finish (the batch service posts
    /// its end for the announcers).
    private func runBatch(clan: Clan) async throws {
        try await request.require(.manage, "run snapshots", in: clan)
        if let ready = await env.cooldowns.claim("run|\(clan.id)", every: env.limits.snapshotRunInterval) {
            throw BotFailure("⏳ **\(clan.name)** can start its next snapshot run \(Format.timestamp(ready)) (at most one every "
                             + "\(Format.duration(env.limits.snapshotRunInterval)): the hiscores are shared). `/snapshot status` shows the last one.")
        }
        try await request.deferReply()
        let responder = request.responder
        let batches = env.services.batches
        let editor = PanelEditor(interval: env.editInterval) { payload in
            _ = try? await responder.updateMessage(payload)
        }
        let clanName = clan.name
        let handle = try await batches.start(clanID: clan.id, requestedBy: try request.userID) { progress in
            await editor.progress {
                guard let status = try? await batches.status(jobID: progress.jobID) else { return nil }
                return JobsPanel.message(run: status.run, members: status.members, clanName: clanName)
            }
        }
        if let status = try await batches.status(jobID: handle.jobID) {
            await editor.progress { JobsPanel.message(run: status.run, members: status.members, clanName: clanName) }
        }
        let run = try await handle.result()
        let members = try await batches.status(jobID: handle.jobID)?.members ?? []
        await editor.finish(JobsPanel.message(run: run, members: members, clanName: clan.name))
    }

    private func status() async throws {
        let guild = try request.guildID
        let batches = env.services.batches
        let jobID: String
        if let typed = request.string("job") {
            jobID = typed
        } else {
            let clan = try await request.clan()
            guard let latest = try await batches.recent(clanID: clan.id, limit: 1).first else {
                throw BotFailure("**\(clan.name)** has no snapshot runs yet. Start one with `/snapshot run`.")
            }
            jobID = latest.jobID
        }
        guard let status = try await batches.status(jobID: jobID),
              let clan = try? await env.clans.find("#\(status.run.clanID)", guildID: guild) else {
            throw BotFailure("There is no snapshot job `\(jobID)` in this server. Autocomplete on `job` lists the recent ones.")
        }
        try await request.reply(JobsPanel.message(run: status.run, members: status.members, clanName: clan.name))
    }

    private func player() async throws {
        let rsn = try request.required("rsn")
        var board: HiscoresBoard?
        if let key = request.string("board") {
            guard let parsed = HiscoresBoard(key: key) else {
                throw BotFailure("Unknown board `\(key)`; use one of \(HiscoresBoard.allCases.map(\.key).joined(separator: ", ")).")
            }
            board = parsed
        }
        // The hiscores are shared with the clan's batch runs: one lookup per person every so often.
        if let ready = await env.cooldowns.claim("lookup|\(try request.userID)", every: env.limits.lookupInterval) {
            throw BotFailure("⏳ You can look up a player again \(Format.timestamp(ready)) (one lookup every "
                             + "\(Format.duration(env.limits.lookupInterval)) per person, so the clan's snapshot runs keep their share of the hiscores).")
        }
        try await request.deferReply()
        let outcome = try await env.services.snapshots.snapshot(name: rsn, board: board, patience: env.hiscoresPatience,
                                                                reusingWithin: SnapshotService.freshFor)
        try await request.reply(PlayerEmbeds.snapshot(outcome))
    }

    // MARK: - Buttons

    /// **Run snapshot now** on the clan overview: checked when pressed; the jobs panel is a new message.
    func pressRunNow(_ id: CustomID) async throws {
        guard let clanID = id.int64(0) else { throw BotFailure.malformed("button") }
        let clan = try await request.clan(named: "#\(clanID)")
        try await runBatch(clan: clan)
    }

    /// **Refresh** on a jobs panel: replaces the panel with the current state.
    func pressRefresh(_ id: CustomID) async throws {
        guard let jobID = id.argument(0) else { throw BotFailure.malformed("button") }
        let guild = try request.guildID
        guard let status = try await env.services.batches.status(jobID: jobID),
              let clan = try? await env.clans.find("#\(status.run.clanID)", guildID: guild) else {
            throw BotFailure("That snapshot job no longer exists.")
        }
        try await request.responder.updateMessage(JobsPanel.message(run: status.run, members: status.members, clanName: clan.name))
    }
}
