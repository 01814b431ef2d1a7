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
            try await request.reply(Self.embed(saved, clan: clan, title: "🗓️ Schedule saved"))
        case "show":
            guard let schedule = try await env.services.schedules.schedule(clanID: clan.id) else {
                throw BotFailure("**\(clan.name)** has no snapshot schedule. Leaders and officers set one with `/schedule set cron:0 6 * * *` (every day at 06:00 \(clan.timeZone)).")
            }
            try await request.reply(Self.embed(schedule, clan: clan, title: "🗓️ Snapshot schedule"),
                                    components: ClanEmbeds.overviewButtons(clanID: clan.id))
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    static func embed(_ schedule: ClanSchedule, clan: Clan, title: String) -> Embed {
        var builder = EmbedBuilder(title: "\(title) · \(clan.name)", color: schedule.enabled ? Palette.success : Palette.running)
        builder.addField("Cron", "`\(schedule.cron)` (\(clan.timeZone))", inline: true)
        builder.addField("Status", schedule.enabled ? "enabled" : "paused", inline: true)
        builder.addField("Runs per day", "at most \(schedule.maxDailyRuns)", inline: true)
        builder.addField("Next run", schedule.enabled ? schedule.nextRunAt.map { "\(Format.timestamp($0, "f")) (\(Format.timestamp($0)))" } ?? "not planned" : "paused", inline: true)
        var last = schedule.lastRunStatus.map { "\($0.rawValue)" } ?? "never ran"
        if let at = schedule.lastRunAt { last += " \(Format.timestamp(at))" }
        if let error = schedule.lastError { last += "\n\(error)" }
        builder.addField("Last run", last, inline: true)
        if let warning = ScheduleService.dailyCapWarning(schedule, timeZone: clan.timeZone) {
            builder.addField("⚠️ More firings than runs", warning)
        }
        return builder.build()
    }
}
