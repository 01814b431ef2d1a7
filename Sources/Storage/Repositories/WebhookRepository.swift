import Domain
import Foundation

/// A clan's outgoing webhooks (several per clan, one per URL).
public struct WebhookRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = """
        id, clan_id, url, provider, events, secret, enabled, last_status_code, last_error, last_delivery_at, created_at
        """

    static func decode(_ row: Row) throws -> ClanWebhook {
        let eventsJSON = try row.string(4)
        // Names this build does not know (written by a newer one) are skipped, not fatal.
        let names = (try? JSONDecoder().decode([String].self, from: Data(eventsJSON.utf8))) ?? []
        return ClanWebhook(
            id: try row.int64(0), clanID: try row.int64(1), url: try row.string(2), provider: try row.get(3),
            events: names.compactMap(WebhookEvent.init(rawValue:)), secret: try row.get(5), enabled: try row.bool(6),
            lastStatusCode: try row.get(7), lastError: try row.get(8), lastDeliveryAt: try row.get(9), createdAt: try row.date(10))
    }

    /// Adds a webhook. Check the URL with `WebhookURLPolicy` first; this only stores it.
    @discardableResult
    public func add(
        clanID: Int64, url: String, provider: WebhookProviderKind, events: [WebhookEvent], secret: String? = nil, now: Date = Date()
    ) throws -> ClanWebhook {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw StorageError.invalidWebhook("the URL must start with https://")
        }
        guard !events.isEmpty else {
            throw StorageError.invalidWebhook("choose at least one event: " + WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let unique = events.reduce(into: [WebhookEvent]()) { if !$0.contains($1) { $0.append($1) } }
        let json = "[" + unique.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
        try translatingConstraints({
            try db.execute(
                "INSERT INTO clan_webhooks (clan_id, url, provider, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [clanID, url, provider, json, secret, now])
        }) { error in
            if error.isForeignKeyViolation { return .unknownClan("with id \(clanID)") }
            if error.isUniqueViolation { return .webhookExists(clanID: clanID) }
            return nil
        }
        return try get(id: try db.lastInsertRowID, clanID: clanID)
    }

    public func get(id: Int64, clanID: Int64) throws -> ClanWebhook {
        guard let hook = try db.queryFirst(
            "SELECT \(Self.columns) FROM clan_webhooks WHERE id = ? AND clan_id = ?", [id, clanID], { try Self.decode($0) })
        else { throw StorageError.unknownWebhook(id) }
        return hook
    }

    public func list(clanID: Int64) throws -> [ClanWebhook] {
        try db.query("SELECT \(Self.columns) FROM clan_webhooks WHERE clan_id = ? ORDER BY id", [clanID]) { try Self.decode($0) }
    }

    /// Enabled webhooks of the clan that subscribe to `event`.
    public func subscribed(clanID: Int64, to event: WebhookEvent) throws -> [ClanWebhook] {
        try db.query(
            """
            SELECT \(Self.columns) FROM clan_webhooks
            WHERE clan_id = ? AND enabled = 1 AND EXISTS (SELECT 1 FROM \(db.jsonArrayElements("events", as: "e")) WHERE e.value = ?)
            ORDER BY id
            """,
            [clanID, event.rawValue]) { try Self.decode($0) }
    }

    /// Deletes a webhook of this clan; another clan's id is `unknownWebhook`.
    public func delete(id: Int64, clanID: Int64) throws {
        guard try db.execute("DELETE FROM clan_webhooks WHERE id = ? AND clan_id = ?", [id, clanID]) == 1 else {
            throw StorageError.unknownWebhook(id)
        }
    }

    public func setEnabled(id: Int64, clanID: Int64, _ enabled: Bool) throws {
        guard try db.execute("UPDATE clan_webhooks SET enabled = ? WHERE id = ? AND clan_id = ?", [enabled, id, clanID]) == 1 else {
            throw StorageError.unknownWebhook(id)
        }
    }

    /// Records the outcome of a delivery: the HTTP status (nil when none came back) and an error, if any.
    public func recordDelivery(id: Int64, statusCode: Int?, error: String?, at date: Date = Date()) throws {
        guard try db.execute(
            "UPDATE clan_webhooks SET last_status_code = ?, last_error = ?, last_delivery_at = ? WHERE id = ?",
            [statusCode, error, date, id]) == 1
        else { throw StorageError.unknownWebhook(id) }
    }
}
