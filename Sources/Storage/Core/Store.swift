import Foundation

/// The one way services reach the database: an actor that owns a `Database` and runs one
/// closure at a time on it. Opening a `Store` applies any pending migrations.
///
/// Several `Store`s (in one process or several) may open the same file: WAL lets readers run
/// beside the writer, writes take the lock at once (`BEGIN IMMEDIATE`) and wait up to the busy timeout.
/// With a `postgres://` URL for `path` the store talks to PostgreSQL instead, with the same guarantees
/// (see `Database.transaction`); `path` is then the URL with its password hidden.
public actor Store {
    private let database: Database
    /// Runs this actor's jobs on a thread of its own, so blocking SQLite calls (and PostgreSQL statements, which
    /// block this thread until their result arrives) never stall the shared pool.
    private nonisolated let thread: DatabaseThread
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }
    public nonisolated let path: String
    /// The schema version after opening (the migrations this build knows, all applied).
    public nonisolated let schemaVersion: Int

    public init(path: String, options: Database.Options = Database.Options(), migrator: Migrator = Migrator()) throws {
        let database = try Database(path: path, options: options)
        try migrator.migrate(database)
        self.schemaVersion = try migrator.currentVersion(of: database)
        self.database = database
        self.path = database.path
        let name = database.dialect == .postgres ? "clanbot.postgres " + database.path : "clanbot.sqlite " + (path as NSString).lastPathComponent
        self.thread = try DatabaseThread(name: name)
    }

    deinit {
        thread.stop()
    }

    /// Reads in a deferred transaction, so several queries see one consistent state.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try database.transaction(.deferred) { try body(database) }
    }

    /// Writes in an immediate transaction: all of `body` commits, or none of it when it throws.
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try database.transaction(.immediate) { try body(database) }
    }

    /// Runs `body` outside any transaction (maintenance: VACUUM, checkpoints, backups).
    public func withoutTransaction<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try body(database)
    }

    /// Copies the database to a checked file at `path` while the bot keeps running (see `Database.backup`).
    @discardableResult
    public func backup(to path: String, options: BackupOptions = BackupOptions()) throws(BackupError) -> BackupReport {
        try database.backup(to: path, options: options)
    }

    /// Hands back the connection's page cache (see `Database.releaseMemory`); between transactions, as every job here is.
    public func releaseMemory() {
        database.releaseMemory()
    }

    /// Closes the connection; later calls fail with "the database is closed".
    public func close() throws {
        try database.close()
    }
}
