import Discord
import Domain
import Foundation
import Services

/// Contest posts that come from the clock rather than from a step someone took: the reminders before the end, and
/// the standings on the schedule officers chose (`/announce standings`).
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
        builder.timestamp = ISO8601Time.string(now)
        return post(key: "contest:\(contest.id):reminder:\(reminder.rawValue)", kind: .contestReminder, embeds: [builder.build()])
    }
}

extension ChannelAnnouncer {
    /// Queues what the clock made due for the clan's running contests: a reminder (the latest one due,
    /// `ContestReminder.due`) and the standings of the current slot of the clan's schedule (`StandingsSchedule.due`).
    /// Keys are unique per contest and reminder or slot, so every pass of every process may ask; standings already
    /// queued are not computed again.
    func queueTimed(_ channel: AnnouncementChannel, clan: Clan, now: Date) async throws {
        let reminders = channel.kinds.contains(.contestReminder)
        let schedule = channel.kinds.contains(.contestStandings) ? channel.standings : nil
        guard reminders || schedule != nil else { return }
        var posts: [AnnouncementService.Post] = []
        for contest in try await contests.list(clanID: clan.id, status: .active) {
            guard let activatedAt = contest.activatedAt else { continue }
            if reminders, let due = ContestReminder.due(activatedAt: activatedAt, endAt: contest.endAt, now: now),
               let post = AnnouncementPosts.reminder(due, contest: contest, clanName: clan.name, at: now) {
                posts.append(post)
            }
            if let schedule, let slot = schedule.due(startAt: contest.startAt, activatedAt: activatedAt, endAt: contest.endAt, now: now, timeZone: clan.zone) {
                let key = AnnouncementPosts.standingsKey(contestID: contest.id, slot: slot)
                if try await !announcements.has(clanID: clan.id, eventKey: key) {
                    let table = try await contests.standings(contestID: contest.id, at: now).table
                    posts += AnnouncementPosts.standings(table, contest: contest, clanName: clan.name, key: key, at: now)
                }
            }
        }
        try await announcements.enqueue(clanID: clan.id, posts, now: now)
    }

    /// A raffle's final standings (its tickets per member; the ended post carries only the entry list's digest),
    /// queued right after the ended post, when the end is announced. A ranked or team contest's ended post already
    /// carries its ranking.
    func finalStandings(_ contest: Contest, channel: AnnouncementChannel, clanName: String, now: Date) async throws -> [AnnouncementService.Post] {
        guard channel.kinds.contains(.contestStandings), !contest.kind.scoresPoints, (contest.entries?.ticketCount ?? 0) > 0 else { return [] }
        let key = AnnouncementPosts.standingsKey(contestID: contest.id, slot: nil)
        if try await announcements.has(clanID: channel.clanID, eventKey: key) { return [] }
        if channel.kinds.contains(.contestEnded), try await !announcements.has(clanID: channel.clanID, eventKey: "contest:\(contest.id):ended") { return [] }
        let table = try await contests.standings(contestID: contest.id).table
        return AnnouncementPosts.standings(table, contest: contest, clanName: clanName, key: key, at: now)
    }

    /// The next moment something timed becomes due in any clan with a channel (the periodic loop wakes then).
    func nextTimed(after now: Date) async -> Date? {
        guard let channels = try? await announcements.channels() else { return nil }
        var next: Date?
        func consider(_ date: Date?) {
            guard let date else { return }
            next = min(next ?? date, date)
        }
        for channel in channels where channel.blocked == nil {
            let reminders = channel.kinds.contains(.contestReminder)
            let schedule = channel.kinds.contains(.contestStandings) ? channel.standings : nil
            guard reminders || schedule != nil else { continue }
            let running = (try? await contests.list(clanID: channel.clanID, status: .active)) ?? []
            guard !running.isEmpty else { continue }
            if let schedule, let clan = try? await announcements.clan(clanID: channel.clanID) {
                consider(schedule.nextSlot(after: now, timeZone: clan.zone))
            }
            guard reminders else { continue }
            for contest in running {
                guard let activatedAt = contest.activatedAt else { continue }
                consider(ContestReminder.next(activatedAt: activatedAt, endAt: contest.endAt, after: now))
            }
        }
        return next
    }
}
