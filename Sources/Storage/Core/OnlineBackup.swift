import CSQLite

/// One run of SQLite's online backup API (`sqlite3_backup_init/step/finish`) from an open
/// `Database` into a new file. Owns the destination connection and the `sqlite3_backup` object,
/// and frees both in `finish()` or `deinit`.
///
/// The source stays usable by everyone while pages are copied: each `step` holds a read lock
/// only while it runs, and in WAL mode readers never block writers. When another connection writes
/// between two steps, SQLite starts the copy again from the first page (see `BackupCopier`).
final class OnlineBackup {
    /// What one `step` achieved.
    enum Progress: Equatable {
        /// Pages are left to copy: `remaining` of `total` (SQLite's figures after this step).
        case copying(remaining: Int, total: Int)
        /// A lock was not available (`SQLITE_BUSY` or `SQLITE_LOCKED`); try the same step again later.
        case busy
        /// Every page is copied.
        case done
    }

    let destinationPath: String
    private var destination: OpaquePointer?
    private var backup: OpaquePointer?

    /// Opens (creating) the file at `destinationPath` and prepares the copy of `source`'s main database.
    init(source: Database, destinationPath: String) throws(BackupError) {
        self.destinationPath = destinationPath
        let sourceHandle: OpaquePointer
        do { sourceHandle = try source.handle() } catch { throw .source(error) }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(destinationPath, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let error = DatabaseError(connection: handle, code: code, sql: nil)
            sqlite3_close_v2(handle)  // SQLite allocates a handle even when opening fails.
            throw .cannotCreate(path: destinationPath, error)
        }
        destination = handle
        guard let backup = sqlite3_backup_init(handle, "main", sourceHandle, "main") else {
            // Errors of backup_init are reported on the destination connection.
            let error = DatabaseError(connection: handle, code: sqlite3_errcode(handle), sql: nil)
            sqlite3_close_v2(handle)
            destination = nil
            throw .copyFailed(error)
        }
        self.backup = backup
    }

    deinit {
        if let backup { sqlite3_backup_finish(backup) }
        if let destination { sqlite3_close_v2(destination) }
    }

    /// Copies up to `pages` pages (-1: all that are left, holding the source's read lock until done).
    func step(pages: Int32) throws(BackupError) -> Progress {
        guard let backup else { throw .copyFailed(.misuse("the backup to '\(destinationPath)' is already finished")) }
        let code = sqlite3_backup_step(backup, pages)
        switch code & 0xFF {
        case SQLITE_OK:
            return .copying(remaining: Int(sqlite3_backup_remaining(backup)), total: Int(sqlite3_backup_pagecount(backup)))
        case SQLITE_DONE:
            return .done
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy
        default:
            throw .copyFailed(DatabaseError(connection: destination, code: code, sql: nil))
        }
    }

    /// Releases the backup object and closes the destination, reporting the first error either met.
    /// After a failed `step`, SQLite repeats that step's error here; the caller has already reported it.
    func finish() throws(BackupError) {
        var failure: BackupError?
        if let backup {
            let code = sqlite3_backup_finish(backup)
            self.backup = nil
            if code != SQLITE_OK {
                failure = .copyFailed(DatabaseError(connection: destination, code: code, sql: nil))
            }
        }
        if let destination {
            let code = sqlite3_close_v2(destination)
            self.destination = nil
            if code != SQLITE_OK, failure == nil {
                failure = .copyFailed(DatabaseError(resultCode: code, message: "closing the backup file '\(destinationPath)' failed"))
            }
        }
        if let failure { throw failure }
    }
}
