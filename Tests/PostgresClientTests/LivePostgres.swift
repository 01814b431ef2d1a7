import Foundation
import PostgresClient
import Testing

/// The throwaway cluster `bash deploy/dev test` starts: its URL (user clanbot with a password, sslmode=disable)
/// and the CA that signed its certificate (for 127.0.0.1). Without them the live suites are skipped.
enum LivePostgres {
    static let url = ProcessInfo.processInfo.environment["CLANBOT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let caFile = ProcessInfo.processInfo.environment["CLANBOT_TEST_POSTGRES_CA"]

    static let isAvailable = url != nil

    static let skipNote: Comment = "CLANBOT_TEST_POSTGRES_URL is not set: run `bash deploy/dev test`, which starts a throwaway PostgreSQL, to run these"

    /// The cluster's configuration, with `change` applied.
    static func configuration(_ change: (inout PostgresConfiguration) -> Void = { _ in }) throws -> PostgresConfiguration {
        var configuration = try PostgresConfiguration(url: url ?? "postgres://unset@127.0.0.1/unset")
        configuration.connectTimeout = .seconds(10)
        change(&configuration)
        return configuration
    }

    static func connect(_ change: (inout PostgresConfiguration) -> Void = { _ in }) async throws -> PostgresConnection {
        try await PostgresConnection.connect(try configuration(change))
    }

    /// A table name no other test uses.
    static func tableName(_ stem: String) -> String {
        "\(stem)_\(UInt32.random(in: 0...UInt32.max))"
    }
}
