import Foundation
@testable import Storage

/// A fresh directory per test, removed when the value goes away: tests run in parallel and share no files.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("clanbot-storage-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String = "clanbot.sqlite") -> String {
        url.appendingPathComponent(name).path
    }

    /// A migrated database in this directory.
    func migratedDatabase(_ name: String = "clanbot.sqlite") throws -> Database {
        let database = try Database(path: path(name))
        try Migrator().migrate(database)
        return database
    }
}
