import Foundation
import PostgresClient

/// The database engines a storage or service test runs against: SQLite always, PostgreSQL when
/// `bash deploy/dev test` started its throwaway cluster (CLANBOT_TEST_POSTGRES_URL). Tests take it as their
/// argument, `@Test(arguments: TestDatabaseBackend.all)`, so each runs once per engine.
public enum TestDatabaseBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The admin URL of the throwaway cluster (user clanbot, a superuser), nil when none runs.
    public static let postgresURL = ProcessInfo.processInfo.environment["CLANBOT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Every engine available here: PostgreSQL only when its cluster runs (see `postgresSkipNote`).
    public static let all: [TestDatabaseBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    public static let isPostgresAvailable = postgresURL != nil

    /// Why the PostgreSQL runs are missing, for a test that says so in the results.
    public static let postgresSkipNote =
        "CLANBOT_TEST_POSTGRES_URL is not set, so the storage and service tests ran on SQLite only: run `bash deploy/dev test`, which starts a throwaway PostgreSQL"

    public var description: String { rawValue }
}

/// A fresh PostgreSQL database on the test cluster, with a random name, dropped when this goes away: each test
/// gets its own, as each SQLite test gets its own file.
public final class TemporaryPostgresDatabase: Sendable {
    public let name: String
    /// The URL a `Store` or `Database` opens (the cluster's URL with this database).
    public let url: String
    private let admin: PostgresConfiguration

    /// Creates the database. Throws when no cluster runs or the server refuses.
    public init() throws {
        guard let base = TestDatabaseBackend.postgresURL else {
            throw PostgresError.invalidQuery("no test PostgreSQL: CLANBOT_TEST_POSTGRES_URL is not set")
        }
        admin = try PostgresConfiguration(url: base)
        name = "clanbot_test_\(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF)"
        url = Self.url(base, database: name)
        let connection = try PostgresConnection.connectSynchronously(admin)
        defer { connection.closeSynchronously() }
        try connection.querySynchronously("CREATE DATABASE \(name)")
    }

    deinit {
        // FORCE ends sessions a test left open (a store it did not close).
        guard let connection = try? PostgresConnection.connectSynchronously(admin) else { return }
        _ = try? connection.querySynchronously("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        connection.closeSynchronously()
    }

    /// `base` with its database replaced by `database`.
    static func url(_ base: String, database: String) -> String {
        guard var components = URLComponents(string: base) else { return base }
        components.path = "/" + database
        return components.string ?? base
    }
}
