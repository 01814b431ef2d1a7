import Domain
import Foundation

/// Name changes, one server at a time.
///
/// Accounts are shared by every server (one hiscores fetch serves them all), so a rename made in one server
/// changes only what belongs to it: its clans' memberships and its Discord links. When other servers also
/// track the old name, the server's members move to an account of their own under the new name (the history
/// is copied), and the others keep the old account untouched. A merge into a name already tracked never
/// carries Discord links: both accounts' links in the server are dropped and must be confirmed again, so a
/// rename can never hand anyone a role.
extension AccountRepository {
    /// Follows an in-game name change made in server `guildID`: account `accountID` takes the name `rsn`
    /// there and keeps its history.
    ///
    /// When another account already holds that name, the two are merged in this server. A merge is refused when
    /// an account it would delete has contest entries or wins, which published results name.
    public func rename(accountID: Int64, to rsn: RSN, inGuild guildID: String, now: Date = Date()) throws -> AccountRename {
        try db.transaction {
            let account = try get(id: accountID)
            let target = try find(rsn).flatMap { $0.id == accountID ? nil : $0 }
            let shared = try isTrackedOutside(guildID: guildID, accountID: accountID)
            var result = AccountRename(account: account, previousName: account.displayName, foldedAccountID: nil, movedSnapshots: 0,
                                       splitFromSharedAccount: false, historyKeptApart: false, droppedLinks: [], clanIDs: [])
            if rsn.normalized == account.normalisedName {
                // A new spelling of the same name (capitals, spaces): the same player on the hiscores.
                try setName(accountID: accountID, rsn, now: now)
            } else if let target {
                result.droppedLinks = try dropLinks(guildID: guildID, accountIDs: [accountID, target.id])
                if try !shared && !isTrackedOutside(guildID: guildID, accountID: target.id) {
                    // Both belong to this server alone: one account with the whole history.
                    result.movedSnapshots = try fold(target, into: account)
                    result.foldedAccountID = target.id
                    try setName(accountID: accountID, rsn, now: now)
                } else if try !isTrackedOutside(guildID: guildID, accountID: target.id) {
                    result.movedSnapshots = try copySnapshots(from: accountID, to: target.id)
                    try moveMemberships(from: accountID, to: target.id, guildID: guildID)
                    result.splitFromSharedAccount = true
                } else {
                    try moveMemberships(from: accountID, to: target.id, guildID: guildID)
                    result.splitFromSharedAccount = shared
                    result.historyKeptApart = true
                }
            } else if shared {
                let split = try findOrCreate(rsn, now: now)
                result.movedSnapshots = try copySnapshots(from: accountID, to: split.id)
                if let checked = account.modeCheckedAt {
                    _ = try updateResolvedType(accountID: split.id, to: account.resolvedType, checkedAt: checked)
                }
                try moveMemberships(from: accountID, to: split.id, guildID: guildID)
                // A plain rename: the server's links follow its members (nothing is merged, no role changes hands).
                _ = try db.execute("UPDATE discord_links SET account_id = ? WHERE account_id = ? AND guild_id = ?", [split.id, accountID, guildID])
                result.splitFromSharedAccount = true
            } else {
                try setName(accountID: accountID, rsn, now: now)
            }
            let survivor = try find(rsn) ?? account
            result.account = survivor
            result.clanIDs = try db.query(
                """
                SELECT DISTINCT m.clan_id FROM clan_members m JOIN clans c ON c.id = m.clan_id
                WHERE m.account_id = ? AND c.guild_id = ? ORDER BY m.clan_id
                """, [survivor.id, guildID]) { try $0.int64(0) }
            return result
        }
    }

    /// True when a clan of another server has (or had) the account as a member, or another server links it.
    func isTrackedOutside(guildID: String, accountID: Int64) throws -> Bool {
        let uses = try db.scalar(
            """
            SELECT (SELECT count(*) FROM clan_members m JOIN clans c ON c.id = m.clan_id WHERE m.account_id = ?1 AND c.guild_id <> ?2)
                 + (SELECT count(*) FROM discord_links WHERE account_id = ?1 AND guild_id <> ?2)
            """, [accountID, guildID], as: Int.self) ?? 0
        return uses > 0
    }

    private func setName(accountID: Int64, _ rsn: RSN, now: Date) throws {
        try translatingConstraints({
            try db.execute("UPDATE accounts SET display_name = ?, normalised_name = ?, updated_at = ? WHERE id = ?",
                           [rsn.display, rsn.normalized, now, accountID])
        }) { _ in nil }
    }

    /// Deletes the server's links to these accounts; returns the Discord users who lost theirs.
    private func dropLinks(guildID: String, accountIDs: [Int64]) throws -> [String] {
        var users: [String] = []
        for accountID in accountIDs {
            users += try db.query("SELECT discord_user_id FROM discord_links WHERE guild_id = ? AND account_id = ? ORDER BY discord_user_id",
                                  [guildID, accountID]) { try $0.string(0) }
            _ = try db.execute("DELETE FROM discord_links WHERE guild_id = ? AND account_id = ?", [guildID, accountID])
        }
        return users
    }

    /// Moves the memberships of `from` in the server's clans onto `to`. Where both have one, the renamed
    /// account's row wins (its role and dates), unless it had left and the other is active.
    private func moveMemberships(from: Int64, to: Int64, guildID: String) throws {
        let memberships = try db.query(
            """
            SELECT m.clan_id, m.role, m.is_active, m.joined_at, m.left_at FROM clan_members m JOIN clans c ON c.id = m.clan_id
            WHERE m.account_id = ? AND c.guild_id = ?
            """, [from, guildID]) { row in
            (clanID: try row.int64(0), role: try row.string(1), active: try row.int64(2), joinedAt: try row.int64(3), leftAt: try row.get(4) as Int64?)
        }
        for membership in memberships {
            let theirs = try db.scalar("SELECT is_active FROM clan_members WHERE clan_id = ? AND account_id = ?", [membership.clanID, to], as: Int64.self)
            if let theirs {
                if membership.active == 1 || theirs == 0 {
                    _ = try db.execute("UPDATE clan_members SET role = ?, is_active = ?, joined_at = ?, left_at = ? WHERE clan_id = ? AND account_id = ?",
                                       [membership.role, membership.active, membership.joinedAt, membership.leftAt, membership.clanID, to])
                }
                _ = try db.execute("DELETE FROM clan_members WHERE clan_id = ? AND account_id = ?", [membership.clanID, from])
            } else {
                _ = try db.execute("UPDATE clan_members SET account_id = ? WHERE clan_id = ? AND account_id = ?", [to, membership.clanID, from])
            }
        }
    }

    /// Copies every snapshot of `from` (with its skills and activities) onto `to`; returns how many.
    /// Achievements are not copied: a copy would be a new row an announcer posts again. The copy never awards
    /// them again either, since its history is already past their thresholds.
    private func copySnapshots(from: Int64, to: Int64) throws -> Int {
        let ids = try db.query("SELECT id FROM snapshots WHERE account_id = ? ORDER BY id", [from]) { try $0.int64(0) }
        for id in ids {
            _ = try db.execute("""
                INSERT INTO snapshots (account_id, fetched_at, requested_mode, resolved_mode, latency_ms, total_xp, total_level, rollback_rows)
                SELECT ?, fetched_at, requested_mode, resolved_mode, latency_ms, total_xp, total_level, rollback_rows FROM snapshots WHERE id = ?
                """, [to, id])
            let copy = try db.lastInsertRowID
            _ = try db.execute("""
                INSERT INTO snapshot_skills (snapshot_id, skill_id, rank, level, xp)
                SELECT ?, skill_id, rank, level, xp FROM snapshot_skills WHERE snapshot_id = ?
                """, [copy, id])
            _ = try db.execute("""
                INSERT INTO snapshot_activities (snapshot_id, activity_id, rank, score)
                SELECT ?, activity_id, rank, score FROM snapshot_activities WHERE snapshot_id = ?
                """, [copy, id])
        }
        try updateSnapshotSpan(accountID: to)
        return ids.count
    }

    private func updateSnapshotSpan(accountID: Int64) throws {
        _ = try db.execute("""
            UPDATE accounts SET first_snapshot_at = (SELECT min(fetched_at) FROM snapshots WHERE account_id = ?1),
                                last_snapshot_at = (SELECT max(fetched_at) FROM snapshots WHERE account_id = ?1)
            WHERE id = ?1
            """, [accountID])
    }

    /// Moves everything of `other` onto `account` and deletes `other`; returns how many snapshots moved.
    /// Only for two accounts the server alone tracks (its links were dropped before).
    private func fold(_ other: Account, into account: Account) throws -> Int {
        let (from, to) = (other.id, account.id)
        let entries = try db.scalar("SELECT count(*) FROM contest_entries WHERE account_id = ?", [from], as: Int.self) ?? 0
        let wins = try db.scalar("SELECT count(*) FROM contest_draws WHERE winner_account_id = ?", [from], as: Int.self) ?? 0
        guard entries == 0, wins == 0 else {
            throw StorageError.invalidAccount(
                "\(other.displayName) is tracked separately and has contest entries of its own, so \(account.displayName)'s "
                    + "history cannot be joined to it")
        }
        let moved = try db.execute("UPDATE snapshots SET account_id = ? WHERE account_id = ?", [to, from])
        // Achievements both accounts hold stay this account's; the other's go with the account.
        // (UPDATE OR IGNORE in SQLite's words; written so PostgreSQL runs it too.)
        _ = try db.execute("""
            UPDATE achievements SET account_id = ?1 WHERE account_id = ?2 AND NOT EXISTS (
                SELECT 1 FROM achievements mine WHERE mine.account_id = ?1 AND mine.kind = achievements.kind
                    AND mine.metric = achievements.metric AND mine.threshold = achievements.threshold)
            """, [to, from])

        // Memberships: where both have one, keep this account's row (active again if the other was active, with
        // the other's role then); elsewhere the other's row moves over as it is.
        let memberships = try db.query("SELECT clan_id, role, is_active FROM clan_members WHERE account_id = ?", [from]) {
            (clanID: try $0.int64(0), role: try $0.string(1), active: try $0.int64(2) == 1)
        }
        for membership in memberships {
            let mineActive = try db.scalar("SELECT is_active FROM clan_members WHERE clan_id = ? AND account_id = ?",
                                           [membership.clanID, to], as: Int64.self)
            if let mineActive {
                if membership.active, mineActive == 0 {
                    _ = try db.execute("UPDATE clan_members SET is_active = 1, left_at = NULL, role = ? WHERE clan_id = ? AND account_id = ?",
                                       [membership.role, membership.clanID, to])
                }
                _ = try db.execute("DELETE FROM clan_members WHERE clan_id = ? AND account_id = ?", [membership.clanID, from])
            } else {
                _ = try db.execute("UPDATE clan_members SET account_id = ? WHERE clan_id = ? AND account_id = ?", [to, membership.clanID, from])
            }
        }
        // Batch lines: one per batch, so the other's go where this account has none.
        _ = try db.execute("""
            DELETE FROM clan_snapshot_members WHERE account_id = ?
              AND clan_snapshot_id IN (SELECT clan_snapshot_id FROM clan_snapshot_members WHERE account_id = ?)
            """, [from, to])
        _ = try db.execute("UPDATE clan_snapshot_members SET account_id = ? WHERE account_id = ?", [to, from])

        // The joined history's span, and the account type from whichever was checked last.
        try updateSnapshotSpan(accountID: to)
        if let checked = other.modeCheckedAt, checked > (account.modeCheckedAt ?? .distantPast) {
            _ = try db.execute("UPDATE accounts SET resolved_mode = ?, mode_checked_at = ? WHERE id = ?", [other.resolvedType, checked, to])
        }
        _ = try db.execute("DELETE FROM accounts WHERE id = ?", [from])
        return moved
    }
}
