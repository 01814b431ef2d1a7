import Discord
import Domain
import Foundation
import Services

/// `/schedule set|show`: the clan's snapshot cadence, next run time and last run status.
struct ScheduleCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    func run() async throws {
        let clan = try await request.clan()
        switch request.path.dropFirst().first {
        case "set":
            try await request.require(.manage, "change the snapshot schedule", in: clan)
            let cron = try request.required("cron")
            let saved = try await env.services.schedules.setSchedule(
                clanID: clan.id, cron: cron, maxDailyRuns: Int(request.integer("max_daily_runs") ?? 1), enabled: request.boolean("enabled") ?? true)
            try await request.reply(ScheduleEmbeds.schedule(saved, clan: clan, title: "🗓️ Schedule saved"))
        case "show":
            guard let schedule = try await env.services.schedules.schedule(clanID: clan.id) else {
                throw BotFailure("**\(clan.name)** has no snapshot schedule. Leaders and officers set one with `/schedule set cron:0 6 * * *` (every day at 06:00 \(clan.timeZone)).")
            }
            try await request.reply(ScheduleEmbeds.schedule(schedule, clan: clan, title: "🗓️ Snapshot schedule"),
                                    components: ClanEmbeds.overviewButtons(clanID: clan.id))
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }
}
