import Foundation
import Storage
import Testing
@testable import ClanbotCLI
import TestSupport

/// `clanbot backup`: a checked copy taken while another process writes, and the restore the README describes.
@Suite struct BackupCommandTests {
    static var pythonAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") }

    /// Another process that creates clans 'Probe 1', 'Probe 2', … one transaction each, until `stop` appears.
    static let writerScript = """
    import os, sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")  # a test: speed over durability on a loaded machine
    deadline = time.time() + 60
    i = 0
    while not os.path.exists(sys.argv[2]) and time.time() < deadline:
        i += 1
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO clans (guild_id, name, slug, description, created_at, updated_at) VALUES ('0', ?, ?, ?, 0, 0)",
                   ("Probe %d" % i, "probe-%d" % i, "x" * 600))
        db.execute("COMMIT")
    print(i)
    """

    static func run(_ arguments: [String], database: String) async -> (status: Int32, output: CapturedOutput) {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: arguments, environment: ["CLANBOT_DB": database], output: output)
        return (status, output)
    }

    static func probeCount(_ path: String) throws -> Int {
        let database = try Database(path: path)
        defer { try? database.close() }
        return try database.scalar("SELECT count(*) FROM clans WHERE slug GLOB 'probe-*'", as: Int.self) ?? 0
    }

    @Test(.enabled(if: pythonAvailable, "python3 is not installed"))
    func aBackupTakenWhileAnotherProcessWritesRestoresAndReads() async throws {
        let directory = try TemporaryDirectory("backup")
        let live = directory.path("live.sqlite")
        #expect(await Self.run(["migrate"], database: live).status == 0)
        let stop = directory.path("stop")
        // However the test ends, the writer stops (an early failure must not leave python3 writing forever).
        defer { _ = FileManager.default.createFile(atPath: stop, contents: nil) }
        let writer = Task { try await ChildProcess.run(["python3", "-c", Self.writerScript, live, stop]) }
        // Polled every 100 ms, not faster: each probe opens the file, and on a loaded machine a tight poll can keep
        // the writer waiting for its lock. If the writer ends early, its error says why.
        let deadline = ContinuousClock.now + .seconds(60)
        var probed = 0
        while probed < 10, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            probed = (try? Self.probeCount(live)) ?? 0
        }
        if probed < 10 {
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            let ended = try await writer.value
            Issue.record("the writer committed \(probed) rows, not 10 (status \(ended.status)): \(ended.errorText)")
            return
        }
        let committedBefore = try Self.probeCount(live)

        let backup = directory.path("backup.sqlite")
        let (status, output) = await Self.run(["backup", backup], database: live)
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        let written = try await writer.value
        #expect(written.status == 0, "\(written.errorText)")
        #expect(status == 0, "\(output.standardError)")
        #expect(output.standardOutput.hasPrefix("Backed up \(live) to \(backup): "))
        #expect(output.standardOutput.hasSuffix("integrity check ok. Done."))
        #expect(FileManager.default.fileExists(atPath: backup))
        #expect(!FileManager.default.fileExists(atPath: backup + "-wal"))

        // Restore as the README says: the bot is stopped, the copy goes over CLANBOT_DB, -wal/-shm go.
        let restored = directory.path("restored.sqlite")
        try Data("stale wal".utf8).write(to: URL(fileURLWithPath: restored + "-wal"))
        try FileManager.default.copyItem(atPath: backup, toPath: restored)
        try FileManager.default.removeItem(atPath: restored + "-wal")
        #expect(await Self.run(["migrate"], database: restored).status == 0)
        let inCopy = try Self.probeCount(restored)
        #expect(inCopy >= committedBefore)
        #expect(inCopy <= Int(written.text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
        let database = try Database(path: restored)
        #expect(try database.query("PRAGMA integrity_check") { try $0.string(0) } == ["ok"])
        let slugs = Set(try database.query("SELECT slug FROM clans") { try $0.string(0) })
        try database.close()
        #expect(slugs == Set((0..<inCopy).map { "probe-\($0 + 1)" }))

        let show = await Self.run(["clan", "show", "probe-\(committedBefore)"], database: restored)
        #expect(show.status == 0, "\(show.output.standardError)")
        #expect(show.output.standardOutput.contains("Probe \(committedBefore) ("))
    }

    @Test func anExistingFileIsRefusedUnlessOverwriteIsGiven() async throws {
        let directory = try TemporaryDirectory("backup")
        let live = directory.path("live.sqlite")
        #expect(await Self.run(["clan", "create", "Iron Foundry"], database: live).status == 0)
        let backup = directory.path("backup.sqlite")
        try Data("older backup".utf8).write(to: URL(fileURLWithPath: backup))

        let refused = await Self.run(["backup", backup], database: live)
        #expect(refused.status == 1)
        #expect(refused.output.standardError == "clanbot backup: '\(backup)' already exists; choose a new name, or add --overwrite to replace it")
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == "older backup")

        let replaced = await Self.run(["backup", backup, "--overwrite"], database: live)
        #expect(replaced.status == 0, "\(replaced.output.standardError)")
        let show = await Self.run(["clan", "show", "Iron Foundry"], database: backup)
        #expect(show.status == 0)
    }

    @Test func mistakesAreClearAndLeaveNothingBehind() async throws {
        let directory = try TemporaryDirectory("backup")
        let live = directory.path("live.sqlite")
        let missingDatabase = await Self.run(["backup", directory.path("copy.sqlite")], database: live)
        #expect(missingDatabase.status == 1)
        #expect(missingDatabase.output.standardError.contains("there is no database at '\(live)'"))
        #expect(!FileManager.default.fileExists(atPath: live))

        #expect(await Self.run(["migrate"], database: live).status == 0)
        let noPath = await Self.run(["backup"], database: live)
        #expect(noPath.status == 64)
        #expect(noPath.output.standardError.contains("backup needs the path of the file to write"))
        #expect(await Self.run(["backup", "a", "b"], database: live).status == 64)
        #expect(await Self.run(["backup", "a", "--force"], database: live).status == 64)

        let itself = await Self.run(["backup", live, "--overwrite"], database: live)
        #expect(itself.status == 1)
        #expect(itself.output.standardError.contains("is the database itself"))

        let nowhere = await Self.run(["backup", directory.path("no/such/dir/copy.sqlite")], database: live)
        #expect(nowhere.status == 1)
        #expect(nowhere.output.standardError.contains("Check that the directory exists"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["live.sqlite"])
    }
}
