import Discord
import Domain
import Foundation
import Services

/// `/gains rsn [timeframe] [start] [end]`: one member's gains.
struct GainsCommands {
    let request: CommandRequest

    func run() async throws {
        let clan = try await request.clan()
        let timeframe = try request.timeframe(in: clan)
        let rsn = try request.required("rsn")
        let result = try await request.env.directory.gains(clanID: clan.id, rsn: rsn, timeframe: timeframe)
        try await request.reply(PlayerEmbeds.gains(name: result.member.name, clanName: clan.name, timeframe: timeframe,
                                                   window: result.window, member: result.member, delta: result.delta, timeZone: clan.zone))
    }
}
