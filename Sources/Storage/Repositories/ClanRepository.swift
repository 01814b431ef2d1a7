import Domain
import Foundation

/// Clans of Discord guilds.
public struct ClanRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "id, guild_id, name, slug, description, timezone, default_snapshot_mode, created_by, created_at, updated_at"

    static func decode(_ row: Row) throws -> Clan {
        Clan(
            id: try row.int64(0), guildID: try row.string(1), name: try row.string(2), slug: try row.string(3),
            description: try row.get(4), timeZone: try row.string(5), defaultSnapshotMode: try row.get(6),
            createdBy: try row.get(7), createdAt: try row.date(8), updatedAt: try row.date(9))
    }

    /// Creates a clan in `guildID`. The slug defaults to one made from the name.
    @discardableResult
    public func create(
        guildID: String, name: String, slug: String? = nil, description: String? = nil, timeZone: String = "UTC",
        defaultSnapshotMode: SnapshotMode = .auto, createdBy: String? = nil, now: Date = Date()
    ) throws -> Clan {
        let values = try validated(guildID: guildID, name: name, slug: slug, timeZone: timeZone)
        try translatingConstraints({
            try db.execute(
                """
                INSERT INTO clans (guild_id, name, slug, description, timezone, default_snapshot_mode, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [values.guildID, values.name, values.slug, description, timeZone, defaultSnapshotMode, createdBy, now, now])
        }) { error in
            error.isUniqueViolation ? .clanSlugTaken(slug: values.slug, guildID: values.guildID) : nil
        }
        return try get(id: try db.lastInsertRowID)
    }

    public func get(id: Int64) throws -> Clan {
        guard let clan = try find(id: id) else { throw StorageError.unknownClan("with id \(id)") }
        return clan
    }

    public func find(id: Int64) throws -> Clan? {
        try db.queryFirst("SELECT \(Self.columns) FROM clans WHERE id = ?", [id]) { try Self.decode($0) }
    }

    /// The clan called `slug` in the guild; throws `unknownClan` naming the slug when there is none.
    public func get(guildID: String, slug: String) throws -> Clan {
        guard let clan = try find(guildID: guildID, slug: slug) else { throw StorageError.unknownClan("called \"\(slug)\" in this server") }
        return clan
    }

    public func find(guildID: String, slug: String) throws -> Clan? {
        try db.queryFirst("SELECT \(Self.columns) FROM clans WHERE guild_id = ? AND slug = ?", [guildID, slug.lowercased()]) {
            try Self.decode($0)
        }
    }

    /// Every clan of the guild, by name.
    public func list(guildID: String) throws -> [Clan] {
        try db.query("SELECT \(Self.columns) FROM clans WHERE guild_id = ? ORDER BY lower(name), id", [guildID]) {
            try Self.decode($0)
        }
    }

    /// Every clan of every guild (the scheduler and operators use this).
    public func all() throws -> [Clan] {
        try db.query("SELECT \(Self.columns) FROM clans ORDER BY guild_id, lower(name), id") { try Self.decode($0) }
    }

    /// Saves the editable fields of `clan` (name, slug, description, time zone, default mode). Guild and creator never change.
    @discardableResult
    public func update(_ clan: Clan, now: Date = Date()) throws -> Clan {
        let values = try validated(guildID: clan.guildID, name: clan.name, slug: clan.slug, timeZone: clan.timeZone)
        let changed = try translatingConstraints({
            try db.execute(
                """
                UPDATE clans SET name = ?, slug = ?, description = ?, timezone = ?, default_snapshot_mode = ?, updated_at = ?
                WHERE id = ? AND guild_id = ?
                """,
                [values.name, values.slug, clan.description, clan.timeZone, clan.defaultSnapshotMode, now, clan.id, clan.guildID])
        }) { error in
            error.isUniqueViolation ? .clanSlugTaken(slug: values.slug, guildID: values.guildID) : nil
        }
        guard changed == 1 else { throw StorageError.unknownClan("with id \(clan.id) in this server") }
        return try get(id: clan.id)
    }

    /// Deletes the clan and everything that belongs to it (members, schedule, webhooks, runs, caches, contests).
    public func delete(id: Int64) throws {
        let changed = try translatingConstraints({ try db.execute("DELETE FROM clans WHERE id = ?", [id]) }) { _ in nil }
        guard changed == 1 else { throw StorageError.unknownClan("with id \(id)") }
    }

    private func validated(guildID: String, name: String, slug: String?, timeZone: String) throws -> (guildID: String, name: String, slug: String) {
        do {
            let guild = try ClanSlug.validateSnowflake(guildID, what: "server")
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 100 else {
                throw ClanSlug.Invalid(description: "a clan name has 1 to 100 characters")
            }
            let finalSlug = try slug.map { try ClanSlug.validate($0) } ?? ClanSlug.make(from: trimmed)
            guard TimeZone(identifier: timeZone) != nil else {
                throw ClanSlug.Invalid(description: "\"\(timeZone)\" is not a time zone; use an IANA name such as Europe/London or UTC")
            }
            return (guild, trimmed, finalSlug)
        } catch let invalid as ClanSlug.Invalid {
            throw StorageError.invalidClan(invalid.description)
        }
    }
}
