import Domain
import Foundation

/// Links between Discord users and OSRS accounts, per guild, and the clan role they grant.
public struct DiscordLinkRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "guild_id, discord_user_id, account_id, linked_at, linked_by, verified, verified_by, verified_at"

    static func decode(_ row: Row) throws -> DiscordLink {
        DiscordLink(
            guildID: try row.string(0), discordUserID: try row.string(1), accountID: try row.int64(2), linkedAt: try row.date(3),
            linkedBy: try row.get(4), verified: try row.bool(5), verifiedBy: try row.get(6), verifiedAt: try row.get(7))
    }

    /// Links the user to the account in the guild, replacing their earlier link. A new link starts
    /// unverified unless `verifiedBy` (a leader/officer, or the bot's admin check) vouches for it.
    @discardableResult
    public func link(
        guildID: String, discordUserID: String, accountID: Int64, linkedBy: String? = nil, verifiedBy: String? = nil,
        now: Date = Date()
    ) throws -> DiscordLink {
        do {
            _ = try ClanSlug.validateSnowflake(guildID, what: "server")
            _ = try ClanSlug.validateSnowflake(discordUserID, what: "user")
        } catch {
            throw StorageError.invalidValue(error.description)
        }
        try translatingConstraints({
            try db.execute(
                """
                INSERT INTO discord_links (guild_id, discord_user_id, account_id, linked_at, linked_by, verified, verified_by, verified_at)
                VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN CAST(?6 AS TEXT) IS NULL THEN 0 ELSE 1 END, ?6, CASE WHEN CAST(?6 AS TEXT) IS NULL THEN NULL ELSE ?4 END)
                ON CONFLICT (guild_id, discord_user_id) DO UPDATE SET
                    account_id = excluded.account_id, linked_at = excluded.linked_at, linked_by = excluded.linked_by,
                    verified = excluded.verified, verified_by = excluded.verified_by, verified_at = excluded.verified_at
                """,
                [guildID, discordUserID, accountID, now, linkedBy, verifiedBy])
        }) { error in
            if error.isForeignKeyViolation { return .unknownAccount("with id \(accountID)") }
            if error.isUniqueViolation {
                let name = (try? db.accounts.get(id: accountID).displayName) ?? "account \(accountID)"
                return .accountLinkedToAnotherUser(account: name, guildID: guildID)
            }
            return nil
        }
        return try get(guildID: guildID, discordUserID: discordUserID)
    }

    /// Marks the user's link as verified by `verifiedBy`.
    @discardableResult
    public func verify(guildID: String, discordUserID: String, verifiedBy: String, now: Date = Date()) throws -> DiscordLink {
        let changed = try db.execute(
            "UPDATE discord_links SET verified = 1, verified_by = ?, verified_at = ? WHERE guild_id = ? AND discord_user_id = ?",
            [verifiedBy, now, guildID, discordUserID])
        guard changed == 1 else { throw StorageError.notLinked(discordUserID: discordUserID, guildID: guildID) }
        return try get(guildID: guildID, discordUserID: discordUserID)
    }

    public func unlink(guildID: String, discordUserID: String) throws {
        guard try db.execute("DELETE FROM discord_links WHERE guild_id = ? AND discord_user_id = ?", [guildID, discordUserID]) == 1 else {
            throw StorageError.notLinked(discordUserID: discordUserID, guildID: guildID)
        }
    }

    public func find(guildID: String, discordUserID: String) throws -> DiscordLink? {
        try db.queryFirst(
            "SELECT \(Self.columns) FROM discord_links WHERE guild_id = ? AND discord_user_id = ?", [guildID, discordUserID]) {
            try Self.decode($0)
        }
    }

    public func get(guildID: String, discordUserID: String) throws -> DiscordLink {
        guard let link = try find(guildID: guildID, discordUserID: discordUserID) else {
            throw StorageError.notLinked(discordUserID: discordUserID, guildID: guildID)
        }
        return link
    }

    /// Who claims the account in the guild, if anyone.
    public func find(guildID: String, accountID: Int64) throws -> DiscordLink? {
        try db.queryFirst("SELECT \(Self.columns) FROM discord_links WHERE guild_id = ? AND account_id = ?", [guildID, accountID]) {
            try Self.decode($0)
        }
    }

    /// The user's role in the clan: the role of their linked account there, capped at `member`
    /// while the link is unverified. Nil when they have no link in the clan's guild or the account
    /// is not an active member.
    public func role(ofUser discordUserID: String, inClan clanID: Int64) throws -> ClanRole? {
        try db.queryFirst(
            """
            SELECT m.role, l.verified FROM clans c
            JOIN discord_links l ON l.guild_id = c.guild_id AND l.discord_user_id = ?
            JOIN clan_members m ON m.clan_id = c.id AND m.account_id = l.account_id AND m.is_active = 1
            WHERE c.id = ?
            """,
            [discordUserID, clanID]) { row -> ClanRole in
            let role: ClanRole = try row.get(0)
            return try row.bool(1) ? role : min(role, .member)
        }
    }
}
