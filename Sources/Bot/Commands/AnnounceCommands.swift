import Discord
import Domain
import Foundation
import Services

/// `/announce set|show|standings|off`: the clan's announcements channel. Leaders and officers only; the embeds are `AnnouncementEmbeds`.
struct AnnounceCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }
    var announcements: AnnouncementService { env.services.announcements }

    func run() async throws {
        let clan = try await request.clan()
        try await request.require(.manage, "manage announcements", in: clan)
        switch request.path.dropFirst().first {
        case "set":
            guard let channel = request.command?.snowflake("channel") else {
                throw BotFailure("`channel` is required: pick the text channel announcements go to, e.g. #clan-events.")
            }
            if let picked = request.command?.channel("channel"), ![0, 5].contains(picked.type) {
                throw BotFailure("<#\(channel)> is not a text channel; pick a text or announcement channel.")
            }
            let set = try await announcements.set(clanID: clan.id, channelID: String(describing: channel), kinds: request.string("events") ?? "",
                                                  setBy: try request.userID, now: env.clock())
            try await request.reply(AnnouncementEmbeds.set(set, clan: clan), ephemeral: true)
        case "show":
            let status = try await announcements.status(clanID: clan.id)
            guard let channel = status.channel else {
                try await request.reply(AnnouncementEmbeds.off(clan: clan), ephemeral: true)
                return
            }
            _ = try await announcements.untoldRefusal(clanID: clan.id, now: env.clock())
            try await request.reply(AnnouncementEmbeds.status(channel, clan: clan, counts: status.counts), ephemeral: true)
        case "standings":
            let channel = try await announcements.setStandings(clanID: clan.id, every: try request.required("every"), at: request.string("at"))
            try await request.reply(AnnouncementEmbeds.standings(channel, clan: clan), ephemeral: true)
        case "off":
            let wasOn = try await announcements.turnOff(clanID: clan.id)
            try await request.reply(AnnouncementEmbeds.turnedOff(clan: clan, wasOn: wasOn), ephemeral: true)
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }
}
