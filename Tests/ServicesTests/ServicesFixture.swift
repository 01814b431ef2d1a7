import Domain
import Foundation
import Storage
import Testing

/// A real SQLite file in a fresh temporary directory, with helpers that insert clans, accounts and
/// snapshots the way the hiscores would have served them.
struct ServicesFixture {
    let directory: URL
    let store: Store

    var path: String { directory.appendingPathComponent("clanbot.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-services-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Store(path: directory.appendingPathComponent("clanbot.sqlite").path)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func clan(_ name: String, timeZone: String = "UTC") async throws -> Int64 {
        try await store.write { db in
            try db.execute("""
                INSERT INTO clans (guild_id, name, slug, timezone, created_at, updated_at) VALUES ('1', ?, ?, ?, 0, 0)
                """, [name, name.lowercased().replacingOccurrences(of: " ", with: "-"), timeZone])
            return db.lastInsertRowID
        }
    }

    func account(_ name: String) async throws -> Int64 {
        try await store.write { db in
            try db.execute("""
                INSERT INTO accounts (display_name, normalised_name, created_at, updated_at) VALUES (?, ?, 0, 0)
                """, [name, name.lowercased()])
            return db.lastInsertRowID
        }
    }

    func join(_ clanID: Int64, _ accountID: Int64, active: Bool = true) async throws {
        try await store.write { db in
            try db.execute("""
                INSERT INTO clan_members (clan_id, account_id, joined_at, left_at, is_active) VALUES (?, ?, 0, ?, ?)
                """, [clanID, accountID, active ? nil : Date(timeIntervalSince1970: 1), active ? 1 : 0] as [any SQLBindable])
        }
    }

    /// Stores a snapshot: `skills` as (name, level, xp), `activities` as (name, score); -1 means unranked.
    @discardableResult
    func snapshot(_ accountID: Int64, at: Date, skills: [(String, Int, Int64)], activities: [(String, Int)] = []) async throws -> Int64 {
        try await store.write { db in
            let overall = skills.first { $0.0 == "Overall" }
            try db.execute("""
                INSERT INTO snapshots (account_id, fetched_at, requested_mode, latency_ms, total_xp, total_level)
                VALUES (?, ?, 'regular', 0, ?, ?)
                """, [accountID, at, overall?.2 ?? -1, overall?.1 ?? -1] as [any SQLBindable])
            let snapshotID = db.lastInsertRowID
            for (order, skill) in skills.enumerated() {
                try db.execute("INSERT OR IGNORE INTO skills (name, display_order) VALUES (?, ?)", [skill.0, order])
                let skillID = try db.scalar("SELECT id FROM skills WHERE name = ?", [skill.0], as: Int64.self) ?? 0
                try db.execute("INSERT INTO snapshot_skills (snapshot_id, skill_id, rank, level, xp) VALUES (?, ?, ?, ?, ?)",
                               [snapshotID, skillID, skill.2 < 0 ? -1 : 1000, skill.1, skill.2])
            }
            for (order, activity) in activities.enumerated() {
                try db.execute("INSERT OR IGNORE INTO activities (name, category, display_order) VALUES (?, ?, ?)",
                               [activity.0, ActivityCategory(activityName: activity.0).rawValue, order])
                let activityID = try db.scalar("SELECT id FROM activities WHERE name = ?", [activity.0], as: Int64.self) ?? 0
                try db.execute("INSERT INTO snapshot_activities (snapshot_id, activity_id, rank, score) VALUES (?, ?, ?, ?)",
                               [snapshotID, activityID, activity.1 < 0 ? -1 : 100, activity.1])
            }
            return snapshotID
        }
    }
}

/// "2026-06-10T12:00:00Z" → Date, for hand-written expectations.
func instant(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        Issue.record("bad test date \(text)")
        return Date(timeIntervalSince1970: 0)
    }
    return date
}
