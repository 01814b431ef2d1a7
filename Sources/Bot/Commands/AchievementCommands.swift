import Discord
import Domain
import Foundation
import Services

/// `/achievements [rsn]`: the clan's (or one member's) latest milestones.
struct AchievementCommands {
    let request: CommandRequest
    static let shown = 20

    func run() async throws {
        let clan = try await request.clan()
        let recent = try await request.env.services.achievements.recent(clanID: clan.id, rsn: request.string("rsn"), limit: Self.shown)
        try await request.reply(AchievementEmbeds.recent(recent, clan: clan))
    }
}
