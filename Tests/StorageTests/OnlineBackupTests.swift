import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Storage

/// `Database.backup`: SQLite's online backup API while other connections write, checked before it is kept.
@Suite struct OnlineBackupTests {
    /// Inserts accounts on a connection and thread of its own until told to stop, each in its own transaction.
    final class Writer: Sendable {
        private struct State {
            var stopping = false
            var committed = 0
            var failure: String?
        }
        private let state = Mutex(State())
        /// Signalled once, when the thread has left its loop.
        private let finished = DispatchSemaphore(value: 0)

        init(path: String, prefix: String) {
            let thread = Thread { [self] in
                do {
                    let database = try Database(path: path)
                    var index = 0
                    while !state.withLock({ $0.stopping }) {
                        index += 1
                        try database.transaction {
                            try OnlineBackupTests.insertAccount(database, "\(prefix)\(index)")
                        }
                        state.withLock { [index] in $0.committed = index }
                    }
                    try database.close()
                } catch {
                    let message = "\(error)"
                    state.withLock { $0.failure = message }
                }
                finished.signal()
            }
            thread.start()
        }

        var committedCount: Int { state.withLock { $0.committed } }
        /// What stopped the writer early, if anything did.
        var failure: String? { state.withLock { $0.failure } }

        /// Asks the writer to stop, waits for it, and returns how many rows it committed.
        func stop() -> Int {
            state.withLock { $0.stopping = true }
            finished.wait()
            return state.withLock { $0.committed }
        }
    }

    static func insertAccount(_ database: Database, _ name: String) throws {
        try database.execute(
            "INSERT INTO accounts (display_name, normalised_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
            [name, name.lowercased()])
    }

    static func names(in path: String) throws -> Set<String> {
        let database = try Database(path: path)
        defer { try? database.close() }
        return Set(try database.query("SELECT display_name FROM accounts") { try $0.string(0) })
    }

    static func integrity(of path: String) throws -> [String] {
        let database = try Database(path: path)
        defer { try? database.close() }
        return try database.query("PRAGMA integrity_check") { try $0.string(0) }
    }

    /// A migrated database holding `count` accounts, with room on each page so the copy spans many pages.
    static func populated(_ directory: TemporaryDirectory, count: Int) throws -> String {
        let database = try directory.migratedDatabase()
        try database.transaction {
            for index in 0..<count { try insertAccount(database, "seed\(index)") }
        }
        try database.close()
        return directory.path()
    }

    @Test func aCopyTakenWhileAnotherConnectionWritesHoldsEveryRowCommittedBeforeIt() async throws {
        let directory = try TemporaryDirectory()
        let path = try Self.populated(directory, count: 5_000)
        let writer = Writer(path: path, prefix: "w")
        while writer.committedCount < 20, writer.failure == nil { try await Task.sleep(for: .milliseconds(5)) }
        let committedBefore = writer.committedCount
        // One page per step, so the writer lands between steps and SQLite restarts the copy.
        let report = try await DatabaseBackup.run(
            databaseAt: path, to: directory.path("copy.sqlite"), options: BackupOptions(pagesPerStep: 1))
        let committedTotal = writer.stop()
        #expect(writer.failure == nil)

        let copied = try Self.names(in: report.path)
        #expect(try Self.integrity(of: report.path) == ["ok"])
        #expect(Set((0..<5_000).map { "seed\($0)" }).isSubset(of: copied))
        #expect(Set((1...committedBefore).map { "w\($0)" }).isSubset(of: copied))
        // A consistent snapshot: the writer's rows up to some point, none missing in between.
        let written = copied.filter { $0.hasPrefix("w") }
        #expect(written == Set((0..<written.count).map { "w\($0 + 1)" }))
        #expect(written.count <= committedTotal)
        #expect(report.pages > 1)
        #expect(!FileManager.default.fileExists(atPath: report.path + "-wal"))
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test func aCopyFromTheStoresOwnConnectionIsComplete() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Store(path: directory.path())
        try await store.write { db in for index in 0..<500 { try Self.insertAccount(db, "s\(index)") } }
        let report = try await store.backup(to: directory.path("copy.sqlite"), options: BackupOptions(pagesPerStep: 2))
        #expect(try Self.names(in: report.path).count == 500)
        #expect(report.restarts == 0)
        let copy = try Database(path: report.path)
        #expect(try Migrator().currentVersion(of: copy) == Migrations.all.count)
    }

    // A lock that stops a backup from reading is rare in WAL mode (another program using exclusive
    // locking mode), so the copy loop's decisions are tested on their own, step by step.

    @Test func theCopyGoesInChunksUntilDone() {
        var pacing = BackupPacing(options: BackupOptions(pagesPerStep: 100))
        #expect(pacing.pagesForNextStep == 100)
        #expect(pacing.next(after: .copying(remaining: 200, total: 300), at: .zero) == .step)
        #expect(pacing.next(after: .copying(remaining: 100, total: 300), at: .milliseconds(1)) == .step)
        #expect(pacing.next(after: .done, at: .milliseconds(2)) == .finished)
        #expect(pacing.restarts == 0 && pacing.busyRetries == 0)
    }

    @Test func aCopyRestartedByOtherWritersFinishesInOneStep() {
        var pacing = BackupPacing(options: BackupOptions(pagesPerStep: 10, restartsBeforeSingleStep: 3))
        for remaining in [90, 80, 95, 85, 99, 89] {
            _ = pacing.next(after: .copying(remaining: remaining, total: 100), at: .zero)
            #expect(pacing.pagesForNextStep == 10)
        }
        #expect(pacing.restarts == 2)
        _ = pacing.next(after: .copying(remaining: 97, total: 100), at: .zero)
        #expect(pacing.restarts == 3)
        #expect(pacing.pagesForNextStep == -1)
    }

    @Test func aLockIsWaitedOutUpToTheLimit() {
        var pacing = BackupPacing(options: BackupOptions(busyLimitSeconds: 1, busyPauseMilliseconds: 50))
        #expect(pacing.next(after: .busy, at: .seconds(10)) == .pause(milliseconds: 50))
        #expect(pacing.next(after: .busy, at: .milliseconds(10_900)) == .pause(milliseconds: 50))
        // Progress ends the wait: a later lock gets the whole limit again.
        #expect(pacing.next(after: .copying(remaining: 5, total: 10), at: .seconds(11)) == .step)
        #expect(pacing.next(after: .busy, at: .seconds(20)) == .pause(milliseconds: 50))
        #expect(pacing.next(after: .busy, at: .milliseconds(20_500)) == .pause(milliseconds: 50))
        #expect(pacing.next(after: .busy, at: .milliseconds(21_500)) == .gaveUp(lockedSeconds: 1.5))
        #expect(pacing.busyRetries == 4)
        #expect("\(BackupError.busy(seconds: 1.5))" == "another program kept the database locked for 1.5 s, so no consistent copy could be read; try again")
    }

    @Test func anExistingFileIsKeptUnlessOverwritingIsAsked() async throws {
        let directory = try TemporaryDirectory()
        let path = try Self.populated(directory, count: 5)
        let destination = directory.path("copy.sqlite")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: destination))
        let source = try Database(path: path)
        #expect(throws: BackupError.destinationExists(path: destination)) { _ = try source.backup(to: destination) }
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "keep me")
        #expect("\(BackupError.destinationExists(path: destination))".contains("--overwrite"))

        let report = try source.backup(to: destination, options: BackupOptions(overwrite: true))
        #expect(try Self.names(in: report.path).count == 5)
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test func theDatabaseItselfIsNeverADestination() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.populated(directory, count: 5)
        let source = try Database(path: path)
        #expect(throws: BackupError.destinationIsSource(path: path)) { _ = try source.backup(to: path, options: BackupOptions(overwrite: true)) }
        let sameFileOtherSpelling = directory.url.appendingPathComponent(".").appendingPathComponent("clanbot.sqlite").path
        #expect(throws: BackupError.destinationIsSource(path: sameFileOtherSpelling)) {
            _ = try source.backup(to: sameFileOtherSpelling, options: BackupOptions(overwrite: true))
        }
        #expect(try Self.names(in: path).count == 5)
    }

    @Test func aMissingDirectoryOrDatabaseIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let path = try Self.populated(directory, count: 1)
        let source = try Database(path: path)
        let nowhere = directory.path("missing/dir/copy.sqlite")
        #expect {
            _ = try source.backup(to: nowhere)
        } throws: { error in
            guard case .cannotCreate(let where_, _) = error as? BackupError else { return false }
            return where_.hasPrefix(directory.path("missing/dir/")) && "\(error)".contains("directory exists")
        }
        let missing = directory.path("absent.sqlite")
        #expect(throws: BackupError.noDatabase(path: missing)) {
            _ = try DatabaseBackup.runBlocking(databaseAt: missing, to: directory.path("copy.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// Files of an unfinished copy (the hidden temporary beside the destination) that were not cleaned up.
    static func leftovers(in directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains(".partial-") }
    }
}
