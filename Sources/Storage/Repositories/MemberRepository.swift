import Domain
import Foundation

/// Clan memberships. Removing a member deactivates them, so history (and contest proofs) stay intact.
public struct MemberRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    private static let select = """
        SELECT m.id, m.clan_id, m.role, m.joined_at, m.left_at, m.is_active, \(
            AccountRepository.columns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
        FROM clan_members m JOIN accounts a ON a.id = m.account_id
        """

    static func decode(_ row: Row) throws -> ClanMember {
        ClanMember(
            id: try row.int64(0), clanID: try row.int64(1), account: try AccountRepository.decode(row, offset: 6),
            role: try row.get(2), joinedAt: try row.date(3), leftAt: try row.get(4), isActive: try row.bool(5))
    }

    /// Adds the account to the clan. A former member who left is welcomed back with the new role.
    @discardableResult
    public func add(clanID: Int64, accountID: Int64, role: ClanRole = .member, now: Date = Date()) throws -> ClanMember {
        if let existing = try find(clanID: clanID, accountID: accountID) {
            guard !existing.isActive else {
                throw StorageError.alreadyMember(clanID: clanID, account: existing.account.displayName)
            }
            try db.execute(
                "UPDATE clan_members SET is_active = 1, left_at = NULL, role = ?, joined_at = ? WHERE id = ?",
                [role, now, existing.id])
            return try get(clanID: clanID, accountID: accountID)
        }
        try translatingConstraints({
            try db.execute(
                "INSERT INTO clan_members (clan_id, account_id, role, joined_at) VALUES (?, ?, ?, ?)",
                [clanID, accountID, role, now])
        }) { error in
            guard error.isForeignKeyViolation else { return nil }
            return try missingParent(clanID: clanID, accountID: accountID)
        }
        return try get(clanID: clanID, accountID: accountID)
    }

    /// Adds by typed role name; an unknown role is `invalidRole`.
    @discardableResult
    public func add(clanID: Int64, accountID: Int64, roleName: String, now: Date = Date()) throws -> ClanMember {
        try add(clanID: clanID, accountID: accountID, role: parse(roleName), now: now)
    }

    /// Changes an active member's role.
    @discardableResult
    public func setRole(clanID: Int64, accountID: Int64, role: ClanRole) throws -> ClanMember {
        let changed = try db.execute(
            "UPDATE clan_members SET role = ? WHERE clan_id = ? AND account_id = ? AND is_active = 1", [role, clanID, accountID])
        guard changed == 1 else { throw try notAMember(clanID: clanID, accountID: accountID) }
        return try get(clanID: clanID, accountID: accountID)
    }

    @discardableResult
    public func setRole(clanID: Int64, accountID: Int64, roleName: String) throws -> ClanMember {
        try setRole(clanID: clanID, accountID: accountID, role: parse(roleName))
    }

    /// Marks the member as gone (kept for history). Throws `notAMember` when they were not active.
    @discardableResult
    public func remove(clanID: Int64, accountID: Int64, now: Date = Date()) throws -> ClanMember {
        let changed = try db.execute(
            "UPDATE clan_members SET is_active = 0, left_at = ? WHERE clan_id = ? AND account_id = ? AND is_active = 1",
            [now, clanID, accountID])
        guard changed == 1 else { throw try notAMember(clanID: clanID, accountID: accountID) }
        return try get(clanID: clanID, accountID: accountID)
    }

    /// The membership row, active or not.
    public func find(clanID: Int64, accountID: Int64) throws -> ClanMember? {
        try db.queryFirst("\(Self.select) WHERE m.clan_id = ? AND m.account_id = ?", [clanID, accountID]) { try Self.decode($0) }
    }

    public func get(clanID: Int64, accountID: Int64) throws -> ClanMember {
        guard let member = try find(clanID: clanID, accountID: accountID) else {
            throw try notAMember(clanID: clanID, accountID: accountID)
        }
        return member
    }

    /// Active members, leaders first, then officers, then members, each by name.
    public func listActive(clanID: Int64) throws -> [ClanMember] {
        try db.query(
            """
            \(Self.select) WHERE m.clan_id = ? AND m.is_active = 1
            ORDER BY CASE m.role WHEN 'leader' THEN 0 WHEN 'officer' THEN 1 ELSE 2 END, a.normalised_name
            """,
            [clanID]) { try Self.decode($0) }
    }

    /// Every membership, including members who left.
    public func listAll(clanID: Int64) throws -> [ClanMember] {
        try db.query("\(Self.select) WHERE m.clan_id = ? ORDER BY m.is_active DESC, a.normalised_name", [clanID]) { try Self.decode($0) }
    }

    /// Ids of the clan's active members' accounts (for batch runs and leaderboards).
    func activeAccountIDs(clanID: Int64) throws -> [Int64] {
        try db.query("SELECT account_id FROM clan_members WHERE clan_id = ? AND is_active = 1 ORDER BY account_id", [clanID]) {
            try $0.int64(0)
        }
    }

    private func parse(_ roleName: String) throws -> ClanRole {
        do { return try ClanRole.parse(roleName) } catch { throw StorageError.invalidRole(roleName) }
    }

    /// Says which side of a membership is missing: the clan or the account.
    private func missingParent(clanID: Int64, accountID: Int64) throws -> StorageError {
        if try db.clans.find(id: clanID) == nil { return .unknownClan("with id \(clanID)") }
        return .unknownAccount("with id \(accountID)")
    }

    private func notAMember(clanID: Int64, accountID: Int64) throws -> StorageError {
        if try db.clans.find(id: clanID) == nil { return .unknownClan("with id \(clanID)") }
        guard let account = try? db.accounts.get(id: accountID) else { return .unknownAccount("with id \(accountID)") }
        return .notAMember(clanID: clanID, account: account.displayName)
    }
}
