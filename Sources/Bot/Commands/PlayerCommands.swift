import Discord
import Domain
import Foundation
import Services

/// `/player rsn`: one member's profile from the stored snapshots (no hiscores request: `/snapshot player` is the
/// fresh lookup, with its cooldown).
struct PlayerCommands {
    let request: CommandRequest

    func run() async throws {
        let clan = try await request.clan()
        let rsn = try request.required("rsn")
        let profile = try await request.env.services.profiles.profile(clanID: clan.id, rsn: rsn, now: request.env.clock())
        try await request.reply(PlayerEmbeds.profile(profile, clan: clan))
    }
}
