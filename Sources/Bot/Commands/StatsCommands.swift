import Discord
import Domain
import Foundation
import Services

/// `/stats [timeframe] [start] [end]`: the clan's report. Deferred: a cold cache computes over every snapshot.
struct StatsCommands {
    let request: CommandRequest

    func run() async throws {
        let clan = try await request.clan()
        let timeframe = try request.timeframe(in: clan)
        try await request.deferReply()
        let stats = try await request.env.services.stats.stats(clanID: clan.id, timeframe: timeframe)
        try await request.reply(MessagePayload(embeds: StatsEmbeds.report(stats, clan: clan, timeframe: timeframe)))
    }
}
