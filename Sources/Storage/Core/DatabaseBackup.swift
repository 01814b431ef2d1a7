import Foundation
import Threads

/// How a backup runs. The defaults suit a bot writing every few seconds to a database of a few hundred MB.
public struct BackupOptions: Sendable, Equatable {
    /// Replace a file already at the destination (it is replaced only once the copy passed its check).
    public var overwrite: Bool
    /// Pages copied per step; between steps other connections may take the write lock.
    public var pagesPerStep: Int32
    /// After this many restarts (another connection wrote between two steps, so SQLite began again),
    /// the rest is copied in one step, which holds a read lock and so cannot be restarted. In WAL mode
    /// that lock never blocks the bot's writes.
    public var restartsBeforeSingleStep: Int
    /// How long to keep retrying while the database stays locked (SQLITE_BUSY or SQLITE_LOCKED).
    public var busyLimitSeconds: Double
    /// Pause between two tries while locked.
    public var busyPauseMilliseconds: Int

    public init(
        overwrite: Bool = false, pagesPerStep: Int32 = 256, restartsBeforeSingleStep: Int = 3,
        busyLimitSeconds: Double = 30, busyPauseMilliseconds: Int = 25
    ) {
        self.overwrite = overwrite
        self.pagesPerStep = max(1, pagesPerStep)
        self.restartsBeforeSingleStep = restartsBeforeSingleStep
        self.busyLimitSeconds = busyLimitSeconds
        self.busyPauseMilliseconds = busyPauseMilliseconds
    }
}

/// What a finished backup holds and what it took.
public struct BackupReport: Sendable, Equatable {
    /// Where the checked copy now is.
    public let path: String
    public let bytes: Int64
    public let pages: Int
    /// How often SQLite began the copy again because another connection wrote meanwhile.
    public let restarts: Int
    /// How many steps found the database locked and were retried.
    public let busyRetries: Int
}

extension Database {
    /// Writes a consistent copy of this database to `path` with SQLite's online backup API while other
    /// connections (this process or others) keep reading and writing, checks the copy with
    /// `PRAGMA integrity_check`, and only then moves it to `path`. On failure nothing is left at `path`.
    public func backup(to path: String, options: BackupOptions = BackupOptions()) throws(BackupError) -> BackupReport {
        guard !isInTransaction else { throw .source(.misuse("a backup cannot run inside a transaction")) }
        if Self.isSameFile(path, self.path) { throw .destinationIsSource(path: path) }
        if !options.overwrite, FileManager.default.fileExists(atPath: path) { throw .destinationExists(path: path) }
        let temporary = Self.temporaryPath(besides: path)
        do throws(BackupError) {
            let pacing = try copyPages(to: temporary, options: options)
            let pages = try Self.checkIntegrity(of: temporary)
            try Self.move(temporary, to: path, overwrite: options.overwrite)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return BackupReport(path: path, bytes: bytes, pages: pages, restarts: pacing.restarts, busyRetries: pacing.busyRetries)
        } catch {
            Self.removeDatabaseFiles(at: temporary)
            throw error
        }
    }

    /// Steps through the copy as `BackupPacing` decides; returns the pacing with its counts.
    private func copyPages(to temporary: String, options: BackupOptions) throws(BackupError) -> BackupPacing {
        let backup = try OnlineBackup(source: self, destinationPath: temporary)
        var pacing = BackupPacing(options: options)
        let start = ContinuousClock.now
        do throws(BackupError) {
            copying: while true {
                let progress = try backup.step(pages: pacing.pagesForNextStep)
                switch pacing.next(after: progress, at: start.duration(to: .now)) {
                case .step: continue
                case .pause(let milliseconds): usleep(useconds_t(milliseconds * 1000))
                case .finished: break copying
                case .gaveUp(let seconds): throw BackupError.busy(seconds: seconds)
                }
            }
        } catch {
            try? backup.finish()  // the step's own error is the one worth reporting
            throw error
        }
        try backup.finish()
        return pacing
    }

    /// Opens the copy on its own, runs `PRAGMA integrity_check` and returns its page count.
    private static func checkIntegrity(of path: String) throws(BackupError) -> Int {
        do {
            let copy = try Database(path: path)
            defer { try? copy.close() }
            let problems = try copy.query("PRAGMA integrity_check") { try $0.string(0) }
            guard problems == ["ok"] else { throw BackupError.integrityCheckFailed(problems: Array(problems.prefix(5))) }
            let pages = try copy.scalar("PRAGMA page_count", as: Int.self) ?? 0
            try copy.close()  // checkpoints, so the copy is one self-contained file
            return pages
        } catch let error as BackupError {
            throw error
        } catch let error as DatabaseError {
            throw .integrityCheckFailed(problems: ["the copy could not be read: \(error)"])
        } catch {
            throw .integrityCheckFailed(problems: ["\(error)"])
        }
    }

    /// Moves the checked copy into place: `rename` replaces, `link` refuses a file that appeared meanwhile.
    private static func move(_ temporary: String, to path: String, overwrite: Bool) throws(BackupError) {
        if overwrite {
            guard rename(temporary, path) == 0 else {
                throw .cannotMove(from: temporary, to: path, reason: String(cString: strerror(errno)))
            }
            return
        }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { throw .destinationExists(path: path) }
            throw .cannotMove(from: temporary, to: path, reason: String(cString: strerror(code)))
        }
        unlink(temporary)
    }

    /// A hidden file in the destination's directory, so the final move is a rename within one file system.
    private static func temporaryPath(besides path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    private static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}

/// Backs up a database file from outside the process that runs the bot (`clanbot backup`).
public enum DatabaseBackup {
    /// Opens the database at `sourcePath` as it is (no migration) and copies it to `path`, on a thread
    /// of its own: the copy blocks for as long as it takes, and retries sleep while the bot holds a lock.
    public static func run(databaseAt sourcePath: String, to path: String, options: BackupOptions = BackupOptions()) async throws(BackupError) -> BackupReport {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<BackupReport, BackupError>, Never>) in
            // A joinable thread, so `clanbot backup` exits only after it has ended (see `BackgroundThreads`).
            let started = BackgroundThreads.shared.start(name: "clanbot-backup") {
                continuation.resume(returning: Result { () throws(BackupError) in try runBlocking(databaseAt: sourcePath, to: path, options: options) })
            }
            if !started {
                continuation.resume(returning: .failure(.copyFailed(.misuse("no thread could be started for the backup: the process is stopping or out of threads"))))
            }
        }
        return try result.get()
    }

    public static func runBlocking(databaseAt sourcePath: String, to path: String, options: BackupOptions = BackupOptions()) throws(BackupError) -> BackupReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sourcePath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .noDatabase(path: sourcePath)
        }
        let source: Database
        do { source = try Database(path: sourcePath) } catch { throw .source(error) }
        defer { try? source.close() }
        return try source.backup(to: path, options: options)
    }
}
