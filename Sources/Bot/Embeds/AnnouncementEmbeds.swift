import Discord
import Domain
import Foundation
import Services

/// The clan's announcements channel as `/announce` shows it: where posts go, what is posted, the standings
/// schedule, the outbox, and a refused channel's notice.
enum AnnouncementEmbeds {
    /// `/announce set`: the channel just chosen.
    static func set(_ channel: AnnouncementChannel, clan: Clan) -> Embed {
        var builder = described(channel, clan: clan, counts: nil)
        builder.title = "📣 Announcements of \(clan.name) go to <#\(channel.channelID)>"
        builder.footer = "clanbot needs View Channel, Send Messages and Embed Links there."
        return builder.build()
    }

    /// `/announce show` with a channel: its settings and outbox.
    static func status(_ channel: AnnouncementChannel, clan: Clan, counts: AnnouncementCounts) -> Embed {
        described(channel, clan: clan, counts: counts).build()
    }

    /// `/announce show` without a channel.
    static func off(clan: Clan) -> Embed {
        EmbedBuilder(title: "📣 Announcements of \(clan.name)",
                     description: "Off. Choose a channel with `/announce set channel:#clan-events`.", color: Palette.info).build()
    }

    /// `/announce standings`: the schedule just set (or turned off).
    static func standings(_ channel: AnnouncementChannel, clan: Clan) -> Embed {
        var builder = described(channel, clan: clan, counts: nil)
        builder.title = channel.standings.map { "📋 Standings of \(clan.name)'s running contests: \($0.summary) (\(clan.timeZone))" }
            ?? "📋 No scheduled standings for \(clan.name)"
        return builder.build()
    }

    /// `/announce off`.
    static func turnedOff(clan: Clan, wasOn: Bool) -> Embed {
        EmbedBuilder(title: wasOn ? "🔕 Announcements of \(clan.name) turned off" : "Announcements of \(clan.name) were already off",
                     description: "Turn them on again with `/announce set`.", color: Palette.info).build()
    }

    private static func described(_ channel: AnnouncementChannel, clan: Clan, counts: AnnouncementCounts?) -> EmbedBuilder {
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
