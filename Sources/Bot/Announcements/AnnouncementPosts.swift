import Discord
import Domain
import Foundation
import Services

/// Clan events as posts for the announcements channel: one message body (JSON) per post under a key that is
/// unique within the clan, so queueing the same event twice posts it once. The texts are the ones the webhooks
/// and the contest commands already publish (`ContestAnnouncement.webhookMessage`, `AchievementEmbeds.line`).
enum AnnouncementPosts {
    /// A contest step: activated (commitment), ended (entry-list digest), drawn (winners, proof, recipe), cancelled.
    static func contest(_ announcement: ContestAnnouncement, clanName: String, at now: Date) -> AnnouncementService.Post? {
        let contest = announcement.contest
        let step: String
        let kind: AnnouncementKind
        let color: Int
        switch announcement {
        case .activated: (step, kind, color) = ("activated", .contestActivated, Palette.success)
        case .ended: (step, kind, color) = ("ended", .contestEnded, Palette.info)
        case .drawn: (step, kind, color) = ("drawn", .contestDrawn, Palette.gold)
        case .cancelled: (step, kind, color) = ("cancelled", .contestCancelled, Palette.warning)
        }
        let embed: Embed
        if let message = announcement.webhookMessage(clanName: clanName, at: now) {
            embed = Self.embed(message, color: color)
        } else {
            var builder = EmbedBuilder(title: "Contest cancelled: \(contest.name)", description: announcement.text, color: color)
            builder.footer = clanName
            builder.timestamp = ISO8601Time.string(now)
            embed = builder.build()
        }
        return post(key: "contest:\(contest.id):\(step)", kind: kind, embeds: [embed])
    }

    /// Achievements, several to a post (a batch that finds forty does not post forty messages).
    static func achievements(_ list: [StoredAchievement], clanName: String) -> [AnnouncementService.Post] {
        guard let first = list.first, let last = list.last else { return [] }
        var builder = EmbedBuilder(title: list.count == 1 ? "🏅 \(first.accountName): \(first.achievement.title)" : "🏅 \(list.count) new achievements",
                                   description: list.map { AchievementEmbeds.line($0) }.joined(separator: "\n"), color: Palette.gold)
        builder.footer = clanName
        builder.timestamp = ISO8601Time.string(last.recordedAt)
        return posts(key: "achievement:\(first.id)-\(last.id)", kind: .achievement, builder)
    }

    /// `builder` as posts within Discord's limits: a description longer than 4,096 characters continues in further
    /// embeds, and embeds beyond 10 or 6,000 characters in further posts (keys "key", "key/2", …), so nothing is cut.
    static func posts(key: String, kind: AnnouncementKind, _ builder: EmbedBuilder) -> [AnnouncementService.Post] {
        builder.messages().enumerated().compactMap { index, embeds in
            post(key: index == 0 ? key : "\(key)/\(index + 1)", kind: kind, embeds: embeds)
        }
    }

    /// A webhook message as an embed. A field too long for an embed field (1,024 characters), such as the
    /// verification recipe, goes into the description instead of being cut.
    static func embed(_ message: WebhookMessage, color: Int) -> Embed {
        var description = message.description
        var builder = EmbedBuilder(title: message.title, color: color)
        for field in message.fields {
            let value = field.time.map { "\(Format.timestamp($0, "F")) (\(Format.timestamp($0)))" } ?? (field.value.isEmpty ? "—" : field.value)
            if TextLimit.length(value) > Embed.fieldValueLimit {
                description += "\n\n**\(field.name)**\n\(value)"
            } else {
                builder.addField(field.name, value, inline: field.inline)
            }
        }
        builder.description = description
        builder.footer = message.clanName
        builder.timestamp = ISO8601Time.string(message.occurredAt)
        return builder.build()
    }

    static func post(key: String, kind: AnnouncementKind, embeds: [Embed]) -> AnnouncementService.Post? {
        // Announcements never ping anyone: names in them are plain text.
        let message = MessagePayload(embeds: embeds)
        guard let data = try? JSONEncoder().encode(message), let json = String(data: data, encoding: .utf8) else { return nil }
        return AnnouncementService.Post(eventKey: key, kind: kind, payload: json)
    }
}
