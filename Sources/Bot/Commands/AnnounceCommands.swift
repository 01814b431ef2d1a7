import Discord
import Domain
import Foundation
import Services

/// `/announce set|show|off`: the clan's announcements channel. Leaders and officers only.
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
            var builder = Self.describe(set, clan: clan, counts: nil)
            builder.title = "📣 Announcements of \(clan.name) go to <#\(set.channelID)>"
            builder.footer = "clanbot needs View Channel, Send Messages and Embed Links there."
            try await request.reply(builder.build(), ephemeral: true)
        case "show":
            let status = try await announcements.status(clanID: clan.id)
            guard let channel = status.channel else {
                try await request.reply(EmbedBuilder(title: "📣 Announcements of \(clan.name)",
                                                     description: "Off. Choose a channel with `/announce set channel:#clan-events`.",
                                                     color: Palette.info).build(), ephemeral: true)
                return
            }
            _ = try await announcements.untoldRefusal(clanID: clan.id, now: env.clock())
            try await request.reply(Self.describe(channel, clan: clan, counts: status.counts).build(), ephemeral: true)
        case "standings":
            let channel = try await announcements.setStandings(clanID: clan.id, every: try request.required("every"), at: request.string("at"))
            var builder = Self.describe(channel, clan: clan, counts: nil)
            builder.title = channel.standings.map { "📋 Standings of \(clan.name)'s running contests: \($0.summary) (\(clan.timeZone))" }
                ?? "📋 No scheduled standings for \(clan.name)"
            try await request.reply(builder.build(), ephemeral: true)
        case "off":
            let wasOn = try await announcements.turnOff(clanID: clan.id)
            try await request.reply(EmbedBuilder(title: wasOn ? "🔕 Announcements of \(clan.name) turned off" : "Announcements of \(clan.name) were already off",
                                                 description: "Turn them on again with `/announce set`.", color: Palette.info).build(), ephemeral: true)
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    static func describe(_ channel: AnnouncementChannel, clan: Clan, counts: AnnouncementCounts?) -> EmbedBuilder {
        var builder = EmbedBuilder(title: "📣 Announcements of \(clan.name)", color: channel.blocked == nil ? Palette.success : Palette.failure)
        if let block = channel.blocked {
            builder.description = "⚠️ " + block.notice(channelID: channel.channelID)
        }
        builder.addField("Channel", "<#\(channel.channelID)>", inline: true)
        builder.addField("Set by", "<@\(channel.setBy)> \(Format.timestamp(channel.setAt))", inline: true)
        let kinds = AnnouncementKind.allCases.filter(channel.kinds.contains)
        builder.addField("Posts", kinds.isEmpty ? "nothing" : kinds.map { "`\($0.rawValue)`: \($0.summary)" }.joined(separator: "\n"))
        if let standings = channel.standings {
            builder.addField("Standings of running contests", "\(standings.summary) (\(clan.timeZone))"
                + (channel.kinds.contains(.contestStandings) ? "" : "; not posted: the channel's events leave out `contest.standings`"))
        } else {
            builder.addField("Standings of running contests", "not on a schedule: `/announce standings every:daily at:18:00`")
        }
        if let counts {
            var lines = ["\(counts.sent) posted" + (counts.lastSentAt.map { ", last \(Format.timestamp($0))" } ?? ""), "\(counts.pending) waiting"]
            if counts.uncertain > 0 { lines.append("\(counts.uncertain) may be missing (the bot stopped while posting them; not repeated)") }
            if counts.failed > 0 { lines.append("\(counts.failed) refused by Discord") }
            builder.addField("Outbox", lines.joined(separator: "\n"))
        }
        return builder
    }
}
