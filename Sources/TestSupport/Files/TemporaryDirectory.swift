import Foundation
import Synchronization

/// A fresh directory per test under the system's temporary directory, removed when the value goes away:
/// tests run in parallel and share no files. Keep the value alive for as long as the test uses its files.
///
/// Made with a `TestDatabaseBackend`, it is also where the test's databases live: `location(_:)` is the SQLite
/// file of that name here, or on `.postgres` a fresh PostgreSQL database standing for it, dropped with the value.
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public let backend: TestDatabaseBackend
    private let databases = TemporaryPostgresDatabases()

    /// `label` names the directory (`clanbot-<label>-<uuid>`), so a leftover one says which suite made it.
    public convenience init(_ label: String = "test") throws {
        try self.init(label, backend: .sqlite)
    }

    /// A directory whose databases are on `backend`.
    public convenience init(_ backend: TestDatabaseBackend) throws {
        try self.init("test", backend: backend)
    }

    public init(_ label: String, backend: TestDatabaseBackend) throws {
        self.backend = backend
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("clanbot-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the directory (not created); by default the database file a test uses.
    public func path(_ name: String = "clanbot.sqlite") -> String {
        url.appendingPathComponent(name).path
    }

    /// What a `Store` or `Database` opens for the database called `name`: the SQLite file here, or on
    /// `.postgres` the URL of a fresh PostgreSQL database standing for it (made on first use).
    public func location(_ name: String = "clanbot.sqlite") throws -> String {
        switch backend {
        case .sqlite: path(name)
        case .postgres: try databases.url(for: name)
        }
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// A subdirectory, created.
    public func directory(_ name: String) throws -> URL {
        let sub = url.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        return sub
    }
}

/// The PostgreSQL databases of one `TemporaryDirectory`, by name.
private final class TemporaryPostgresDatabases: Sendable {
    private let made = Mutex<[String: TemporaryPostgresDatabase]>([:])

    func url(for name: String) throws -> String {
        try made.withLock { made in
            if let database = made[name] { return database.url }
            let database = try TemporaryPostgresDatabase()
            made[name] = database
            return database.url
        }
    }
}
