/// A member's role inside a clan. Leaders and officers manage; members read.
public enum ClanRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case leader
    case officer
    case member

    /// Higher ranks outrank lower ones: leader > officer > member.
    public var rank: Int {
        switch self {
        case .leader: 2
        case .officer: 1
        case .member: 0
        }
    }

    public static func < (lhs: ClanRole, rhs: ClanRole) -> Bool { lhs.rank < rhs.rank }

    /// Leaders and officers manage members, schedules, webhooks and contests, and run snapshots.
    var canManage: Bool { self >= .officer }
}
