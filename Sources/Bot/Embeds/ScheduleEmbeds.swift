import Discord
import Domain
import Foundation
import Services

/// The clan's snapshot schedule: cadence, next run and last run.
enum ScheduleEmbeds {
    static func schedule(_ schedule: ClanSchedule, clan: Clan, title: String) -> Embed {
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
