import Discord
import Domain
import Foundation
import Services

/// Posts clan events in each clan's announcements channel (`/announce set`), with the bot's own token, beside the
/// webhook announcer on the same event stream.
///
/// Each event becomes posts queued in the database under a unique key (`AnnouncementService`), then each post is
/// claimed, sent (`POST /channels/{id}/messages`, through the rate-limited REST client, with a nonce Discord
/// de-duplicates on) and marked sent. A post claimed by a process that stopped before marking it is not sent
/// again (at most once); a post never claimed is sent after a restart by `drainAll()`.
///
/// When Discord refuses for lack of permission (403: 50001 Missing Access, 50013 Missing Permissions) the channel
/// is marked blocked with the permission that is missing, and nothing more is sent there until officers run
/// `/announce set` again; `/announce show` tells them which permission to grant.
public struct ChannelAnnouncer: ClanEventSubscriber {
    let announcements: AnnouncementService
    /// The clans' contests, for what the clock makes due (reminders, scheduled standings).
    let contests: ContestService
    let rest: DiscordREST
    let clock: @Sendable () -> Date
    let log: @Sendable (String) -> Void
    /// A claim older than this was left by a process that stopped mid-post.
    static let staleClaim: TimeInterval = 600

    public init(announcements: AnnouncementService, contests: ContestService, rest: DiscordREST, clock: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.announcements = announcements
        self.contests = contests
        self.rest = rest
        self.clock = clock
        self.log = log
    }

    public func handle(_ event: ClanEvent) async {
        let clanID = event.clanID
        do {
            guard try await announcements.channel(clanID: clanID) != nil, let clanName = try await announcements.clanName(clanID: clanID) else { return }
            let now = clock()
            switch event {
            case .contest(let announcement):
                if let post = AnnouncementPosts.contest(announcement, clanName: clanName, at: now) {
                    try await announcements.enqueue(clanID: clanID, [post], now: now)
                }
                if case .ended(let end) = announcement, let channel = try await announcements.channel(clanID: clanID) {
                    let final = try await finalStandings(end.detail.contest, channel: channel, clanName: clanName, now: now)
                    try await announcements.enqueue(clanID: clanID, final, now: now)
                }
            case .batchFinished, .activity:
                try await queueRecorded(clanID: clanID, clanName: clanName, now: now)
            case .scheduleFailed:
                return
            }
        } catch {
            log("announcements of clan #\(clanID): could not queue \(event.name): \(error)")
        }
        await drain(clanID: clanID)
    }

    /// What the database recorded for the clan since the channel's cursors: achievements (stored with the
    /// snapshots), roster changes and hardcore deaths (stored with the change), and scheduled batches to summarise. Whatever is newer than a cursor
    /// is queued, including what a process that stopped (a crashed batch, a CLI command) never announced.
    func queueRecorded(clanID: Int64, clanName: String, now: Date) async throws {
        try await announcements.enqueueAchievements(clanID: clanID, now: now) { list in
            AnnouncementPosts.achievements(list, clanName: clanName)
        }
        try await announcements.enqueueActivity(clanID: clanID, now: now) { list in
            AnnouncementPosts.activity(list, clanName: clanName)
        }
        try await announcements.enqueueSummaries(clanID: clanID, now: now) { summary in
            AnnouncementPosts.summary(summary, clanName: clanName)
        }
    }

    /// Queues what was recorded and sends what is pending for every clan with a channel: after a restart, and
    /// periodically (changes made by another process such as the CLI, posts Discord could not take during an
    /// outage, and those waiting on a channel officers just fixed).
    func drainAll() async {
        do {
            let abandoned = try await announcements.abandonStaleClaims(before: clock().addingTimeInterval(-Self.staleClaim))
            if abandoned > 0 { log("announcements: \(abandoned) posts were being sent when a process stopped; not sending them again") }
            for channel in try await announcements.channels() {
                do {
                    if let clan = try await announcements.clan(clanID: channel.clanID) {
                        try await queueRecorded(clanID: clan.id, clanName: clan.name, now: clock())
                        // Reminders and standings queued while the channel is refused would be stale once officers fix it.
                        if channel.blocked == nil { try await queueTimed(channel, clan: clan, now: clock()) }
                    }
                } catch {
                    log("announcements of clan #\(channel.clanID): \(error)")
                }
                if channel.blocked == nil { await drain(clanID: channel.clanID) }
            }
        } catch {
            log("announcements: \(error)")
        }
    }

    /// `drainAll()` every `interval` on `clock` until cancelled (the first pass at once), and also right when a
    /// contest reminder or a scheduled standings post comes due, so those go out on time, not up to a minute late.
    public func run(every interval: Duration = .seconds(60), clock: any WallClock = SystemWallClock()) async {
        await PeriodicLoop.run(clock: clock, pollEvery: interval, nextDue: { now in await nextTimed(after: now) }) { await drainAll() }
    }

    /// Sends the clan's pending posts, oldest first, until none is left or Discord says to stop.
    func drain(clanID: Int64) async {
        do {
            while true {
                guard let channel = try await announcements.channel(clanID: clanID), channel.blocked == nil,
                      let channelID = Snowflake(channel.channelID) else { return }
                let items = try await announcements.pending(clanID: clanID)
                if items.isEmpty { return }
                for item in items {
                    guard try await announcements.claim(item, channelID: channel.channelID, now: clock()) else { continue }
                    switch await send(item, to: channelID) {
                    case .sent(let messageID):
                        try await announcements.markSent(item, messageID: messageID, now: clock())
                    case .sentAsText(let messageID):
                        // Posted without its embed: officers must grant Embed Links; later posts wait for that.
                        try await announcements.markSent(item, messageID: messageID, now: clock())
                        try await announcements.block(clanID: clanID, channelID: channel.channelID, missing: .embedLinks, now: clock())
                        log("announcements of clan #\(clanID): missing Embed Links in channel \(channel.channelID); waiting for an officer")
                        return
                    case .refused(let missing, let error):
                        try await announcements.release(item, error: error, giveUp: false)
                        try await announcements.block(clanID: clanID, channelID: channel.channelID, missing: missing, now: clock())
                        log("announcements of clan #\(clanID): \(error); waiting for an officer to grant \(missing.name)")
                        return
                    case .later(let error):
                        try await announcements.release(item, error: error, giveUp: false)
                        log("announcements of clan #\(clanID): \(error); trying again later")
                        return
                    case .rejected(let error):
                        try await announcements.release(item, error: error, giveUp: true)
                        log("announcements of clan #\(clanID): \(item.eventKey) rejected: \(error)")
                    }
                }
            }
        } catch {
            log("announcements of clan #\(clanID): \(error)")
        }
    }

    enum Outcome {
        case sent(messageID: String?)
        case sentAsText(messageID: String?)
        case refused(AnnouncementPermission, String)
        case later(String)
        case rejected(String)
    }

    /// One POST, and what Discord's answer means for the outbox and the channel.
    func send(_ item: QueuedAnnouncement, to channel: Snowflake) async -> Outcome {
        guard let body = Self.body(item.payload, nonce: "clanbot-\(item.id)") else { return .rejected("the stored message is not JSON") }
        do {
            let data = try await rest.send(.channelMessages(channel), body: body)
            return .sent(messageID: Self.messageID(data))
        } catch {
            return await classify(error, item: item, channel: channel)
        }
    }

    func classify(_ error: DiscordRESTError, item: QueuedAnnouncement, channel: Snowflake) async -> Outcome {
        switch error {
        case .api(_, 403, let body) where body?.code == 50001:
            return .refused(.viewChannel, error.description)
        case .api(_, 403, let body) where body?.code == 50013:
            // Missing Permissions does not say which. The same post as plain text tells Send Messages from Embed Links.
            guard let text = Self.textBody(item.payload, nonce: "clanbot-\(item.id)t") else { return .refused(.sendMessages, error.description) }
            do {
                let data = try await rest.send(.channelMessages(channel), body: text)
                return .sentAsText(messageID: Self.messageID(data))
            } catch {
                return .refused(.sendMessages, error.description)
            }
        case .api(_, 403, _):
            return .refused(.sendMessages, error.description)
        case .api(_, 404, _):
            return .refused(.channelGone, error.description)
        case .api(_, 429, _), .rateLimited, .server, .transport:
            return .later(error.description)
        case .api, .refused, .encoding, .decoding:
            return .rejected(error.description)
        }
    }

    /// The stored body with a nonce Discord enforces: a repeat within a few minutes returns the first message.
    static func body(_ payload: String, nonce: String) -> Data? {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else { return nil }
        object["nonce"] = nonce
        object["enforce_nonce"] = true
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The post as plain text (title and description of each embed), within Discord's 2,000 characters.
    static func textBody(_ payload: String, nonce: String) -> Data? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else { return nil }
        let embeds = object["embeds"] as? [[String: Any]] ?? []
        let text = embeds.map { embed in
            [embed["title"] as? String, embed["description"] as? String].compactMap { $0 }.joined(separator: "\n")
        }.joined(separator: "\n\n")
        let content = TextLimit.truncate(text.isEmpty ? "(announcement)" : text, to: MessagePayload.maximumContentLength)
        let message: [String: Any] = ["content": content, "allowed_mentions": ["parse": [String]()], "nonce": nonce, "enforce_nonce": true]
        return try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
    }

    static func messageID(_ data: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["id"] as? String
    }
}
