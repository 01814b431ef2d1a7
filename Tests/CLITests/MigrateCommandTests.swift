import Foundation
import Storage
import Testing
@testable import ClanbotCLI
import TestSupport

@Suite struct MigrateCommandTests {
    static func schema(_ path: String) throws -> [String] {
        let database = try Database(path: path)
        defer { try? database.close() }
        return try database.query("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name") { try $0.string(0) }
            + database.query("SELECT version || ' ' || name || ' ' || checksum || ' ' || applied_at FROM schema_migrations ORDER BY version") { try $0.string(0) }
    }

    @Test func createsTheDatabaseThenSaysItIsUpToDate() async throws {
        let directory = try TemporaryDirectory("migrate")
        let latest = Migrator().latestVersion
        let first = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["migrate"], environment: ["CLANBOT_DB": directory.path()], output: first)
        #expect(status == 0)
        #expect(first.standardOutput.contains("Created the database at \(directory.path()): schema version \(latest)"))
        #expect(first.standardOutput.contains("1 (initial_schema)"))
        #expect(first.standardError.isEmpty)
        let before = try Self.schema(directory.path())
        #expect(before.contains { $0.hasPrefix("table clan_members ") })

        let second = CapturedOutput()
        #expect(await CommandLineTool.main(arguments: ["migrate", "--db", directory.path()], environment: [:], output: second) == 0)
        #expect(second.standardOutput == "The database at \(directory.path()) is up to date: schema version \(latest). Nothing was changed.")
        #expect(try Self.schema(directory.path()) == before)
    }

    @Test func theFlagOverridesTheEnvironment() async throws {
        let directory = try TemporaryDirectory("migrate")
        let flagPath = directory.url.appendingPathComponent("flag.sqlite").path
        let output = CapturedOutput()
        let status = await CommandLineTool.main(
            arguments: ["migrate", "--db=\(flagPath)"], environment: ["CLANBOT_DB": directory.path()], output: output)
        #expect(status == 0)
        #expect(FileManager.default.fileExists(atPath: flagPath))
        #expect(!FileManager.default.fileExists(atPath: directory.path()))
    }

    @Test func aPathThatCannotBeOpenedIsAClearFailure() async throws {
        let directory = try TemporaryDirectory("migrate")
        let path = directory.url.appendingPathComponent("missing/dir/clanbot.sqlite").path
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["migrate", "--db", path], environment: [:], output: output)
        #expect(status == 1)
        #expect(output.standardError.contains("clanbot migrate:"))
        #expect(output.standardError.contains(path))
        #expect(output.standardError.contains("directory exists"))
    }

    @Test func aDatabaseFromANewerBuildIsLeftAlone() async throws {
        let directory = try TemporaryDirectory("migrate")
        #expect(await CommandLineTool.main(arguments: ["migrate", "--db", directory.path()], environment: [:], output: CapturedOutput()) == 0)
        do {
            let database = try Database(path: directory.path())
            try database.execute("INSERT INTO schema_migrations VALUES (?, 'future', 'x', 0)", [Migrator().latestVersion + 1])
            try database.close()
        }
        let output = CapturedOutput()
        #expect(await CommandLineTool.main(arguments: ["migrate", "--db", directory.path()], environment: [:], output: output) == 1)
        #expect(output.standardError.contains("newer than this build"))
    }

    @Test func strayArgumentsAreAUsageError() async {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["migrate", "now"], environment: [:], output: output)
        #expect(status == 64)
        #expect(output.standardError.contains("migrate takes no arguments"))
    }

    @Test func helpDescribesIt() async {
        let output = CapturedOutput()
        #expect(await CommandLineTool.main(arguments: ["migrate", "--help"], environment: [:], output: output) == 0)
        #expect(output.standardOutput.contains("Usage: clanbot migrate"))
    }
}
