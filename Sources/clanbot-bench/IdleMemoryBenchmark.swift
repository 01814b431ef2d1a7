import Foundation
import TestSupport

/// Resident memory of `clanbot run` sitting idle with one shard: the real binary (built beside this one)
/// connected to the fake Discord over TLS on loopback, read from /proc after it settles.
let idleMemoryBenchmark = Benchmark(name: "idle-memory", summary: "resident memory of `clanbot run` idle with one shard") {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clanbot").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("   skipped: build the clanbot product too (`swift build -c release`), expected at \(binary)")
        return
    }
    let discord = try FakeDiscord { connection in
        try connection.sendHello(heartbeatInterval: 1000)
        _ = try connection.next(op: 2)
        try connection.sendReady(sessionID: "bench", sequence: 1)
        _ = try connection.serve(for: .seconds(60))
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-rss-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run"]
    var environment = ProcessInfo.processInfo.environment
    environment["DISCORD_TOKEN"] = "bench-token"
    environment["DISCORD_API_BASE"] = discord.apiBase
    environment["SSL_CERT_FILE"] = discord.caFilePath ?? ""
    environment["CLANBOT_DB"] = directory.appendingPathComponent("clanbot.sqlite").path
    process.environment = environment
    let log = Pipe()
    process.standardOutput = log
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
    // Ready, then a few heartbeats so the steady state is what is measured.
    let ready = try await waitForLine(containing: "ready as", in: log)
    guard ready else {
        print("   FAILED: clanbot run did not become ready")
        return
    }
    var samples: [Double] = []
    for _ in 0..<5 {
        try await Task.sleep(for: .seconds(1))
        if let rss = residentKilobytes(pid: process.processIdentifier) { samples.append(Double(rss) / 1024) }
    }
    guard let last = samples.last else {
        print("   FAILED: could not read /proc/\(process.processIdentifier)/status")
        return
    }
    report("resident memory, idle, one shard (last of 5 s)", last, "MB", target: "< 20 MB")
    report("resident memory, peak of the samples", samples.max() ?? last, "MB")
    if let shared = sharedKilobytes(pid: process.processIdentifier) {
        report("  shared pages of binary + libraries (RssFile)", Double(shared) / 1024, "MB")
    }
    if let anonymous = statusField("RssAnon", pid: process.processIdentifier) {
        report("  private memory of the process (RssAnon)", Double(anonymous) / 1024, "MB")
    }
    try await measureFloor(beside: binary, in: directory)
}

/// The same figure for `memory-floor`: libcurl, OpenSSL, SQLite and Foundation initialised the way the
/// bot initialises them, and nothing else. No build of the bot can sit below this line.
private func measureFloor(beside binary: String, in directory: URL) async throws {
    let floor = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("memory-floor").path
    guard FileManager.default.isExecutableFile(atPath: floor) else {
        print("   (build the memory-floor product too for the baseline: `bash deploy/dev bench` does)")
        return
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: floor)
    process.arguments = [directory.appendingPathComponent("floor.sqlite").path]
    let log = Pipe()
    process.standardOutput = log
    try process.run()
    defer {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
    guard try await waitForLine(containing: "ready", in: log) else {
        print("   FAILED: memory-floor did not start")
        return
    }
    try await Task.sleep(for: .seconds(3))
    guard let rss = residentKilobytes(pid: process.processIdentifier) else { return }
    report("baseline: its libraries alone (memory-floor)", Double(rss) / 1024, "MB")
}

/// Reads `pipe` until a line holding `text` appears (true) or it closes or 30 s pass (false); keeps
/// draining afterwards so the child never blocks on a full pipe.
private func waitForLine(containing text: String, in pipe: Pipe) async throws -> Bool {
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

private func statusField(_ name: String, pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
        return Int(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    }
    return nil
}

private func residentKilobytes(pid: Int32) -> Int? { statusField("VmRSS", pid: pid) }
private func sharedKilobytes(pid: Int32) -> Int? { statusField("RssFile", pid: pid) }
