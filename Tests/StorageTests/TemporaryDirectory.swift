import Foundation
@testable import Storage
import TestSupport

extension TemporaryDirectory {
    /// A migrated database in this directory.
    func migratedDatabase(_ name: String = "clanbot.sqlite") throws -> Database {
        let database = try Database(path: path(name))
        try Migrator().migrate(database)
        return database
    }
}
