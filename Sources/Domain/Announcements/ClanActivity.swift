import Foundation

/// Something that happened to a clan's roster or to one of its members that the announcements channel reports:
/// a member joined, left or was renamed, or a hardcore ironman died. Stored in the same transaction as the change
/// itself (migration 6), so a process that stops right after still has it to announce.
public struct ClanActivity: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case memberJoined = "member.joined"
        case memberLeft = "member.left"
        case memberRenamed = "member.renamed"
        /// The account's type went from hardcore ironman to ironman between two snapshots.
        case hardcoreDied = "hardcore.died"

        /// The announcement kind officers pick to get it.
        public var announcement: AnnouncementKind {
            switch self {
            case .memberJoined: .memberJoined
            case .memberLeft: .memberLeft
            case .memberRenamed: .memberRenamed
            case .hardcoreDied: .hardcoreDied
            }
        }
    }

    /// Increasing: an announcer keeps the last one it queued as a cursor.
    public var id: Int64
    public var clanID: Int64
    public var kind: Kind
    public var accountID: Int64?
    /// The member's name when it happened (the new name of a rename).
    public var name: String
    /// The name before a rename.
    public var previousName: String?
    /// When it was recorded. For a hardcore death, the snapshot that showed it.
    public var occurredAt: Date
    /// For a hardcore death: the snapshot before, when the account was still hardcore (it died in between).
    public var since: Date?

    public init(id: Int64, clanID: Int64, kind: Kind, accountID: Int64?, name: String, previousName: String? = nil,
                occurredAt: Date, since: Date? = nil) {
        self.id = id
        self.clanID = clanID
        self.kind = kind
        self.accountID = accountID
        self.name = name
        self.previousName = previousName
        self.occurredAt = occurredAt
        self.since = since
    }

}
