import Discord
import Domain
import Foundation
import Services

/// `/records metric [skill|boss|tier] [period]`: the clan's best days, weeks and months of a metric.
struct RecordsCommands {
    let request: CommandRequest

    func run() async throws {
        let clan = try await request.clan()
        let metric = try LeaderboardCommands.metric(from: request)
        let period: RecordPeriod? = try request.string("period").map { text in
            guard let period = RecordPeriod(rawValue: text) else { throw BotFailure("Unknown period '\(text)'; pick day, week or month.") }
            return period
        }
        let records: MetricRecords
        do {
            records = try await request.env.services.records.records(clanID: clan.id, metric: metric)
        } catch let unknown as UnknownMetricRow {
            throw LeaderboardCommands.failure(unknown, metric: metric, clan: clan)
        }
        try await request.reply(RecordEmbeds.records(records, clan: clan, period: period))
    }
}
