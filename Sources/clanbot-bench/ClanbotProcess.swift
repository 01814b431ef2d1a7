import Foundation
import TestSupport

/// The real `clanbot run` (built beside this benchmark) started against a fake Discord, with a database
/// of its own in a temporary directory; read from /proc while it runs, killed when it goes away.
final class ClanbotProcess {
    let process = Process()
    let directory: URL
    private let log = Pipe()

    /// The executable named `name` beside this one, or nil (with a note printed) when it was not built.
    static func sibling(_ name: String) -> String? {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            print("   skipped: build the \(name) product too (`bash deploy/dev bench` does), expected at \(path)")
            return nil
        }
        return path
    }

    /// Starts `clanbot run` against `discord`, on the database at `databasePath` (by default a new one in its
    /// directory), with `extra` added to its environment and `arguments` after `run`; nil when the binary is missing.
    init?(runningAgainst discord: FakeDiscord, databasePath: String? = nil, environment extra: [String: String] = [:],
          arguments: [String] = []) throws {
        guard let binary = Self.sibling("clanbot") else { return nil }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DISCORD_TOKEN"] = "bench-token"
        environment["DISCORD_API_BASE"] = discord.apiBase
        environment["SSL_CERT_FILE"] = discord.caFilePath ?? ""
        environment["CLANBOT_DB"] = databasePath ?? directory.appendingPathComponent("clanbot.sqlite").path
        environment.merge(extra) { _, given in given }
        process.environment = environment
        process.standardOutput = log
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits (up to 30 s) for the bot to log that it is ready.
    func waitUntilReady() async throws -> Bool {
        try await waitForLine(containing: "ready as", in: log)
    }

    /// A figure from /proc/PID/status in kB (VmRSS, RssAnon, RssFile) or a count (Threads).
    func status(_ field: String) -> Int? { statusField(field, pid: pid) }

    /// Open file descriptors (sockets, the database, pipes).
    var openFiles: Int? { try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count }
}

/// Reads `pipe` until a line holding `text` appears (true) or it closes or 30 s pass (false); keeps
/// draining afterwards so the child never blocks on a full pipe.
func waitForLine(containing text: String, in pipe: Pipe) async throws -> Bool {
    let handle = pipe.fileHandleForReading
    return try await withCheckedThrowingContinuation { continuation in
        Thread {
            var seen = Data()
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
                if String(decoding: seen, as: UTF8.self).contains(text) {
                    Thread { while !handle.availableData.isEmpty {} }.start()
                    continuation.resume(returning: true)
                    return
                }
            }
            continuation.resume(returning: false)
        }.start()
    }
}

/// A field of /proc/PID/status as a number (kB for memory figures).
func statusField(_ name: String, pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
        return Int(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }
    return nil
}
