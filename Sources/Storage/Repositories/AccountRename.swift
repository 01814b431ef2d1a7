import Domain
import Foundation

/// What following a name change did.
public struct AccountRename: Sendable, Hashable {
    /// The account under its new name, with all of its history.
    public var account: Account
    public var previousName: String
    /// When the new name was already tracked as an account of its own, that account was folded into this one:
    /// its id (now gone) and how many snapshots moved over.
    public var foldedAccountID: Int64?
    public var movedSnapshots: Int
    /// Every clan the account is (or was) a member of: their cached aggregates are out of date.
    public var clanIDs: [Int64]
}

extension AccountRepository {
    /// Follows an in-game name change: account `accountID` takes the name `rsn` and keeps its history.
    ///
    /// When another account already holds that name (someone added the new name as a separate member, and
    /// perhaps snapshotted it), that account is folded into this one, then deleted: its snapshots, clan
    /// memberships, Discord links and batch lines move over, so the history reads as one player's. That is
    /// refused when the other account has contest entries or wins, which published results name.
    public func rename(accountID: Int64, to rsn: RSN, now: Date = Date()) throws -> AccountRename {
        try db.transaction {
            let account = try get(id: accountID)
            var folded: Int64?
            var moved = 0
            if let other = try find(rsn), other.id != accountID {
                moved = try fold(other, into: account)
                folded = other.id
            }
            try translatingConstraints({
                try db.execute("UPDATE accounts SET display_name = ?, normalised_name = ?, updated_at = ? WHERE id = ?",
                               [rsn.display, rsn.normalized, now, accountID])
            }) { _ in nil }
            let clans = try db.query("SELECT DISTINCT clan_id FROM clan_members WHERE account_id = ? ORDER BY clan_id", [accountID]) {
                try $0.int64(0)
            }
            return AccountRename(account: try get(id: accountID), previousName: account.displayName, foldedAccountID: folded,
                                 movedSnapshots: moved, clanIDs: clans)
        }
    }

    /// Moves everything of `other` onto `account` and deletes `other`; returns how many snapshots moved.
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
        // Discord links and batch lines: one per guild / batch, so the other's go where this account has none.
        _ = try db.execute("""
            DELETE FROM discord_links WHERE account_id = ? AND guild_id IN (SELECT guild_id FROM discord_links WHERE account_id = ?)
            """, [from, to])
        _ = try db.execute("UPDATE discord_links SET account_id = ? WHERE account_id = ?", [to, from])
        _ = try db.execute("""
            DELETE FROM clan_snapshot_members WHERE account_id = ?
              AND clan_snapshot_id IN (SELECT clan_snapshot_id FROM clan_snapshot_members WHERE account_id = ?)
            """, [from, to])
        _ = try db.execute("UPDATE clan_snapshot_members SET account_id = ? WHERE account_id = ?", [to, from])

        // The joined history's span, and the account type from whichever was checked last.
        _ = try db.execute("""
            UPDATE accounts SET first_snapshot_at = (SELECT min(fetched_at) FROM snapshots WHERE account_id = ?1),
                                last_snapshot_at = (SELECT max(fetched_at) FROM snapshots WHERE account_id = ?1)
            WHERE id = ?1
            """, [to])
        if let checked = other.modeCheckedAt, checked > (account.modeCheckedAt ?? .distantPast) {
            _ = try db.execute("UPDATE accounts SET resolved_mode = ?, mode_checked_at = ? WHERE id = ?", [other.resolvedType, checked, to])
        }
        _ = try db.execute("DELETE FROM accounts WHERE id = ?", [from])
        return moved
    }
}
