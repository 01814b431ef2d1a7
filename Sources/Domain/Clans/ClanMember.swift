import Foundation

/// An account's membership of a clan. A member who leaves is kept (inactive, with `leftAt`) for history.
public struct ClanMember: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var clanID: Int64
    public var account: Account
    public var role: ClanRole
    public var joinedAt: Date
    public var leftAt: Date?
    public var isActive: Bool

    public init(id: Int64, clanID: Int64, account: Account, role: ClanRole, joinedAt: Date, leftAt: Date? = nil, isActive: Bool = true) {
        self.id = id
        self.clanID = clanID
        self.account = account
        self.role = role
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.isActive = isActive
    }
}

extension ClanRole {
    /// Why a typed role was refused.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "\"\(text)\" is not a clan role; use one of: " + ClanRole.allCases.map(\.rawValue).joined(separator: ", ")
        }
    }

    /// Parses a typed role, ignoring case and surrounding spaces.
    public static func parse(_ text: String) throws(Invalid) -> ClanRole {
        guard let role = ClanRole(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw Invalid(text: text)
        }
        return role
    }
}
