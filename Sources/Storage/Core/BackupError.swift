import Foundation

/// Why a backup was not taken, worded for the operator who asked for it. Nothing is left at the
/// destination when a backup fails: the copy is written to a temporary file and moved into place last.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no database to back up at this path.
    case noDatabase(path: String)
    /// The database to back up could not be opened or read.
    case source(DatabaseError)
    /// A file is already there and overwriting was not asked for.
    case destinationExists(path: String)
    /// The destination is the database itself.
    case destinationIsSource(path: String)
    /// The backup file could not be created (missing directory, no permission, full disk, ...).
    case cannotCreate(path: String, DatabaseError)
    /// SQLite failed while copying pages.
    case copyFailed(DatabaseError)
    /// Another connection held a lock for longer than the backup waits.
    case busy(seconds: Double)
    /// The finished copy did not pass `PRAGMA integrity_check`; its first problems.
    case integrityCheckFailed(problems: [String])
    /// The checked copy could not be moved to its final name.
    case cannotMove(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case .noDatabase(let path):
            "there is no database at '\(path)'; set CLANBOT_DB (or --db) to the bot's database file"
        case .source(let error):
            "the database could not be read: \(error)"
        case .destinationExists(let path):
            "'\(path)' already exists; choose a new name, or add --overwrite to replace it"
        case .destinationIsSource(let path):
            "'\(path)' is the database itself; write the backup to another file"
        case .cannotCreate(let path, let error):
            "cannot create the backup file '\(path)': \(error.message). Check that the directory exists and is writable."
        case .copyFailed(let error):
            "copying the database failed: \(error)"
        case .busy(let seconds):
            "another program kept the database locked for \(Self.format(seconds)) s, so no consistent copy could be read; try again"
        case .integrityCheckFailed(let problems):
            "the copy failed its integrity check and was removed: \(problems.joined(separator: "; "))"
        case .cannotMove(let from, let to, let reason):
            "the checked copy at '\(from)' could not be moved to '\(to)': \(reason)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds < 10 ? String(format: "%.1f", seconds) : String(Int(seconds))
    }
}
