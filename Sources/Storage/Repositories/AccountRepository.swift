import Domain
import Foundation

/// OSRS accounts, keyed by normalised name.
public struct AccountRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "id, display_name, normalised_name, resolved_mode, mode_checked_at, first_snapshot_at, last_snapshot_at, created_at, updated_at"

    /// Reads an account from `row`, starting at column `offset` (in the order of `columns`).
    static func decode(_ row: Row, offset: Int = 0) throws -> Account {
        Account(
            id: try row.int64(offset), displayName: try row.string(offset + 1), normalisedName: try row.string(offset + 2),
            resolvedType: try row.get(offset + 3), modeCheckedAt: try row.get(offset + 4),
            firstSnapshotAt: try row.get(offset + 5), lastSnapshotAt: try row.get(offset + 6),
            createdAt: try row.date(offset + 7), updatedAt: try row.date(offset + 8))
    }

    /// The account for `rsn`, created when it is new. The display name of an existing account is kept.
    @discardableResult
    public func findOrCreate(_ rsn: RSN, now: Date = Date()) throws -> Account {
        try findOrCreate(displayName: rsn.display, normalisedName: rsn.normalized, now: now)
    }

    /// The account with `normalisedName`, created when it is new. Prefer `findOrCreate(_ rsn:)`,
    /// which validates and normalises the name.
    @discardableResult
    public func findOrCreate(displayName: String, normalisedName: String, now: Date = Date()) throws -> Account {
        if let existing = try find(normalisedName: normalisedName) { return existing }
        try translatingConstraints({
            try db.execute(
                "INSERT INTO accounts (display_name, normalised_name, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (normalised_name) DO NOTHING",
                [displayName, normalisedName, now, now])
        }) { error in
            error.isCheckViolation ? .invalidAccount("an account name has 1 to 12 characters (got \"\(displayName)\")") : nil
        }
        guard let account = try find(normalisedName: normalisedName) else {
            throw StorageError.unknownAccount("named \"\(displayName)\"")
        }
        return account
    }

    public func find(normalisedName: String) throws -> Account? {
        try db.queryFirst("SELECT \(Self.columns) FROM accounts WHERE normalised_name = ?", [normalisedName]) { try Self.decode($0) }
    }

    public func find(_ rsn: RSN) throws -> Account? {
        try find(normalisedName: rsn.normalized)
    }

    public func get(id: Int64) throws -> Account {
        guard let account = try db.queryFirst("SELECT \(Self.columns) FROM accounts WHERE id = ?", [id], { try Self.decode($0) }) else {
            throw StorageError.unknownAccount("with id \(id)")
        }
        return account
    }

    /// Records what the account was resolved to (nil: unknown again) and when that was checked.
    @discardableResult
    public func updateResolvedType(accountID: Int64, to type: AccountType?, checkedAt: Date = Date()) throws -> Account {
        let changed = try db.execute(
            "UPDATE accounts SET resolved_mode = ?, mode_checked_at = ?, updated_at = ? WHERE id = ?",
            [type, checkedAt, checkedAt, accountID])
        guard changed == 1 else { throw StorageError.unknownAccount("with id \(accountID)") }
        return try get(id: accountID)
    }

    /// Changes the display name (e.g. to the capitalisation the hiscores use).
    @discardableResult
    func updateDisplayName(accountID: Int64, to rsn: RSN, now: Date = Date()) throws -> Account {
        let changed = try translatingConstraints({
            try db.execute(
                "UPDATE accounts SET display_name = ?, updated_at = ? WHERE id = ? AND normalised_name = ?",
                [rsn.display, now, accountID, rsn.normalized])
        }) { _ in nil }
        guard changed == 1 else {
            throw StorageError.invalidAccount("\"\(rsn.display)\" is not a spelling of account \(accountID)'s name; a name change is a different account")
        }
        return try get(id: accountID)
    }

    /// Accounts whose resolved type was checked before `date` (or never): candidates for a re-check.
    func needingModeCheck(before date: Date, limit: Int = 100) throws -> [Account] {
        try db.query(
            "SELECT \(Self.columns) FROM accounts WHERE mode_checked_at IS NULL OR mode_checked_at < ? ORDER BY mode_checked_at IS NOT NULL, mode_checked_at LIMIT ?",
            [date, limit]) { try Self.decode($0) }
    }
}
