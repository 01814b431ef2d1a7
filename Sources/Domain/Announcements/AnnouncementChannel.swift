import Foundation

/// The Discord channel a clan's announcements go to (one per clan; several clans of a server each have their own).
public struct AnnouncementChannel: Sendable, Hashable {
    public var clanID: Int64
    public var channelID: String
    public var kinds: Set<AnnouncementKind>
    public var setBy: String
    public var setAt: Date
    /// Set when Discord refused a post for lack of permission: posting stops until an officer fixes it and runs
    /// `/announce set` again, so the channel is not hammered meanwhile.
    public var blocked: AnnouncementBlock?
    /// When the standings of running contests are posted (`/announce standings`); nil: not on a schedule.
    public var standings: StandingsSchedule?

    public init(clanID: Int64, channelID: String, kinds: Set<AnnouncementKind>, setBy: String, setAt: Date, blocked: AnnouncementBlock? = nil,
                standings: StandingsSchedule? = nil) {
        self.clanID = clanID
        self.channelID = channelID
        self.kinds = kinds
        self.setBy = setBy
        self.setAt = setAt
        self.blocked = blocked
        self.standings = standings
    }
}

/// Why the bot stopped posting in a clan's announcements channel, and whether officers were told yet.
public struct AnnouncementBlock: Sendable, Hashable {
    public var missing: AnnouncementPermission
    public var since: Date
    /// When an officer was shown the notice in a command's reply (nil: not yet).
    public var toldAt: Date?

    public init(missing: AnnouncementPermission, since: Date, toldAt: Date? = nil) {
        self.missing = missing
        self.since = since
        self.toldAt = toldAt
    }

    /// The sentence officers see.
    public func notice(channelID: String) -> String {
        if missing == .channelGone {
            return "clanbot cannot post in the announcements channel: Discord says it no longer exists. "
                + "Pick another with `/announce set`. Announcements wait until then."
        }
        return "clanbot cannot post in <#\(channelID)>: it lacks the **\(missing.name)** permission there. "
            + "Give clanbot's role \(missing.name) in that channel's settings (it needs View Channel, Send Messages and Embed Links), "
            + "then run `/announce set` again. Announcements wait until then."
    }
}

/// The channel permissions the bot needs to announce, named as Discord's channel settings name them.
public enum AnnouncementPermission: String, Sendable, Hashable, CaseIterable {
    case viewChannel = "view_channel"
    case sendMessages = "send_messages"
    case embedLinks = "embed_links"
    /// The channel no longer exists (deleted); not a permission, but the same remedy.
    case channelGone = "channel_gone"

    public var name: String {
        switch self {
        case .viewChannel: "View Channel"
        case .sendMessages: "Send Messages"
        case .embedLinks: "Embed Links"
        case .channelGone: "channel (it was deleted)"
        }
    }
}
