import Discord
import Domain
import Foundation
import Services

/// Contest posts that come from the clock rather than from a step someone took: the reminders before the end.
extension AnnouncementPosts {
    /// "⏰ Summer XP ends in 24 hours", with the end time in each reader's zone and what the contest asks.
    static func reminder(_ reminder: ContestReminder, contest: Contest, clanName: String, at now: Date) -> AnnouncementService.Post? {
        var builder = EmbedBuilder(title: "⏰ \(contest.name) ends in \(reminder.words)", color: Palette.warning)
        let what = contest.kind.scoresPoints ? "Points still count until then." : "Members still qualifying have until then."
        builder.description = "Ends \(Format.timestamp(contest.endAt, "f")) (\(Format.timestamp(contest.endAt))). \(what)\n"
            + "See where everyone stands with `/contest standings`."
        if !contest.rules.isEmpty {
            builder.addField("Rules", TextLimit.truncate(contest.rules.map { "\($0.position). \($0.title): \($0.summary)" }.joined(separator: "\n"),
                                                         to: Embed.fieldValueLimit))
        }
        if let prize = contest.prize, !prize.isEmpty { builder.addField("Prize", TextLimit.truncate(prize, to: Embed.fieldValueLimit), inline: true) }
        builder.footer = clanName
        builder.timestamp = now
        return post(key: "contest:\(contest.id):reminder:\(reminder.rawValue)", kind: .contestReminder, embeds: [builder.build()])
    }
}

extension ChannelAnnouncer {
    /// Queues what the clock made due for the clan's running contests: a reminder (the latest one due,
    /// `ContestReminder.due`). Keys are unique per contest and reminder, so every pass of every process may ask.
    func queueTimed(_ channel: AnnouncementChannel, clanName: String, now: Date) async throws {
        guard channel.kinds.contains(.contestReminder) else { return }
        var posts: [AnnouncementService.Post] = []
        for contest in try await contests.list(clanID: channel.clanID, status: .active) {
            guard let activatedAt = contest.activatedAt,
                  let due = ContestReminder.due(activatedAt: activatedAt, endAt: contest.endAt, now: now),
                  let post = AnnouncementPosts.reminder(due, contest: contest, clanName: clanName, at: now) else { continue }
            posts.append(post)
        }
        try await announcements.enqueue(clanID: channel.clanID, posts, now: now)
    }

    /// The next moment something timed becomes due in any clan with a channel (the periodic loop wakes then).
    func nextTimed(after now: Date) async -> Date? {
        guard let channels = try? await announcements.channels() else { return nil }
        var next: Date?
        for channel in channels where channel.blocked == nil && channel.kinds.contains(.contestReminder) {
            for contest in (try? await contests.list(clanID: channel.clanID, status: .active)) ?? [] {
                guard let activatedAt = contest.activatedAt,
                      let due = ContestReminder.next(activatedAt: activatedAt, endAt: contest.endAt, after: now) else { continue }
                next = min(next ?? due, due)
            }
        }
        return next
    }
}
