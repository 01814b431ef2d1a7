import Domain
import Foundation
import Storage
import Testing
import TestSupport

/// A real SQLite file in a fresh temporary directory (or, made with `.postgres`, a fresh PostgreSQL database on the
/// test cluster), with helpers that insert clans, accounts and snapshots the way the hiscores would have served them.
struct ServicesFixture {
    let files: TemporaryDirectory
    let store: Store

    var directory: URL { files.url }
    /// What the store opened: another `Store(path:)` on it shares the database, as a second process would.
    let path: String

    init(_ backend: TestDatabaseBackend = .sqlite) async throws {
        files = try TemporaryDirectory("services", backend: backend)
        path = try files.location()
        store = try await Store(path: path)
    }

    /// Removes the directory now (it also goes when the last copy of the fixture does).
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func clan(_ name: String, timeZone: String = "UTC", mode: SnapshotMode = .auto) async throws -> Int64 {
        try await store.write { db in
            try db.clans.create(guildID: "1", name: name, timeZone: timeZone, defaultSnapshotMode: mode).id
        }
    }

    func account(_ name: String) async throws -> Int64 {
        let rsn = try RSN(name)
        return try await store.write { db in try db.accounts.findOrCreate(rsn).id }
    }

    func join(_ clanID: Int64, _ accountID: Int64, active: Bool = true) async throws {
        try await store.write { db in
            _ = try db.members.add(clanID: clanID, accountID: accountID)
            if !active { _ = try db.members.remove(clanID: clanID, accountID: accountID) }
        }
    }

    /// Stores a snapshot: `skills` as (name, level, xp), `activities` as (name, score); -1 means unranked.
    @discardableResult
    func snapshot(_ accountID: Int64, at: Date, skills: [(String, Int, Int64)], activities: [(String, Int)] = []) async throws -> Int64 {
        let record = HiscoresRecord(
            skills: skills.map { SkillScore(name: $0.0, rank: $0.2 < 0 ? -1 : 1000, level: $0.1, xp: $0.2) },
            activities: activities.map { ActivityScore(name: $0.0, rank: $0.1 < 0 ? -1 : 100, score: $0.1) })
        return try await store.write { db in
            try db.snapshots.insert(accountID: accountID, fetchedAt: at, requestedBoard: .regular, resolvedType: nil,
                                    latencyMs: 0, record: record).id
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
