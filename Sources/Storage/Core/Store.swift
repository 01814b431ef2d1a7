import Foundation
import PostgresClient

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
    /// How to reach the PostgreSQL database again (its LISTEN connection, `wakeUps`); nil for SQLite.
    nonisolated let postgresConfiguration: PostgresConfiguration?

    /// Opens the database and applies pending migrations on the store's own thread, so the caller's thread (in an
    /// async context, one of the few cooperative threads) never waits on a PostgreSQL round trip or a SQLite lock.
    public nonisolated init(path: String, options: Database.Options = Database.Options(), migrator: Migrator = Migrator()) async throws {
        let thread = try DatabaseThread(name: Self.threadName(path))
        do {
            let opened = try await thread.perform { try OpenedDatabase(path: path, options: options, migrator: migrator) }
            self.init(opened, thread: thread)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Opens and migrates on the calling thread: for synchronous callers (a benchmark's set-up), never an async context.
    @available(*, noasync, message: "use the async Store(path:): it opens the database on the store's own thread")
    public init(path: String, options: Database.Options = Database.Options(), migrator: Migrator = Migrator()) throws {
        let opened = try OpenedDatabase(path: path, options: options, migrator: migrator)
        self.init(opened, thread: try DatabaseThread(name: Self.threadName(path)))
    }

    private init(_ opened: OpenedDatabase, thread: DatabaseThread) {
        database = opened.database
        schemaVersion = opened.schemaVersion
        postgresConfiguration = opened.database.postgresConfiguration
        path = opened.database.path
        self.thread = thread
    }

    private static func threadName(_ path: String) -> String {
        SQLDialect(location: path) == .postgres
            ? "clanbot.postgres " + SQLDialect.displayName(of: path) : "clanbot.sqlite " + (path as NSString).lastPathComponent
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

/// A database opened and migrated on a store's thread, handed to the store once.
/// Not Sendable: it is returned `sending` from the store's thread, so the compiler checks it is handed over once.
private struct OpenedDatabase {
    let database: Database
    let schemaVersion: Int

    init(path: String, options: Database.Options, migrator: Migrator) throws {
        let database = try Database(path: path, options: options)
        try migrator.migrate(database)
        schemaVersion = try migrator.currentVersion(of: database)
        self.database = database
    }
}
