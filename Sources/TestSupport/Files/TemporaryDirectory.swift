import Foundation

/// A fresh directory per test under the system's temporary directory, removed when the value goes away:
/// tests run in parallel and share no files. Keep the value alive for as long as the test uses its files.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    /// `label` names the directory (`clanbot-<label>-<uuid>`), so a leftover one says which suite made it.
    public init(_ label: String = "test") throws {
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
