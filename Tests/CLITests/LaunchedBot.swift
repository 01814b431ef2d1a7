import Foundation

/// The real `clanbot run` binary, started with its output in a temporary log file.
struct LaunchedBot {
    let process = Process()
    let log: URL
    private let handle: FileHandle

    init(_ binary: URL, arguments: [String] = [], environment: [String: String], logName: String) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-\(logName)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        handle = try FileHandle(forWritingTo: log)
        process.executableURL = binary
        process.arguments = ["run"] + arguments
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Everything the bot printed so far.
    var written: () -> String {
        let path = log.path
        return { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    }

    /// Kills the process if it still runs (SIGKILL), reaps it, and removes the log: for a test's `defer`.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        finish()
    }

    /// Closes and removes the log (read it with `written` before).
    func finish() {
        try? handle.close()
        try? FileManager.default.removeItem(at: log)
    }
}
