import Foundation
@testable import Storage
import TestSupport

extension TemporaryDirectory {
    /// A migrated database here: a SQLite file in the directory, or on `TemporaryDirectory(.postgres)` a fresh
    /// PostgreSQL database (see `location(_:)`).
    func migratedDatabase(_ name: String = "clanbot.sqlite") throws -> Database {
        let database = try Database(path: location(name))
        try Migrator().migrate(database)
        return database
    }
}
