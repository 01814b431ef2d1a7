import Foundation

/// One post waiting in (or gone through) a clan's announcement outbox. `payload` is the Discord message body as
/// JSON, rendered when the event happened, so a restart posts exactly what would have been posted.
public struct QueuedAnnouncement: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Not posted yet.
        case pending
        /// A process is posting it right now.
        case claimed
        /// Discord accepted it.
        case sent
        /// The process stopped between posting and marking it: it may or may not be in the channel, and is not
        /// posted again (at most once).
        case uncertain
        /// Discord refused it for a reason retrying cannot fix (e.g. a body it rejects).
        case failed
    }

    public var id: Int64
    public var clanID: Int64
    /// Unique per clan: "contest:12:drawn", "achievement:345", … so an event is queued once.
    public var eventKey: String
    public var kind: AnnouncementKind
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, clanID: Int64, eventKey: String, kind: AnnouncementKind, payload: String, status: Status, attempts: Int, createdAt: Date) {
        self.id = id
        self.clanID = clanID
        self.eventKey = eventKey
        self.kind = kind
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// How many posts of a clan are in each state (for `/announce show`).
public struct AnnouncementCounts: Sendable, Hashable {
    public var pending = 0
    public var sent = 0
    public var uncertain = 0
    public var failed = 0
    public var lastSentAt: Date?

    public init() {}
}
