import Foundation
import TestSupport

/// Resident memory of `clanbot run` sitting idle with one shard: the real binary (built beside this one)
/// connected to the fake Discord over TLS on loopback, read from /proc after it settles.
let idleMemoryBenchmark = Benchmark(name: "idle-memory", summary: "resident memory of `clanbot run` idle with one shard") {
    let discord = try FakeDiscord { connection in
        try connection.sendHello(heartbeatInterval: 1000)
        _ = try connection.next(op: 2)
        try connection.sendReady(sessionID: "bench", sequence: 1)
        _ = try connection.serve(for: .seconds(60))
    }
    guard let bot = try ClanbotProcess(runningAgainst: discord) else { return }
    // Ready, then a few heartbeats so the steady state is what is measured.
    guard try await bot.waitUntilReady() else {
        print("   FAILED: clanbot run did not become ready")
        return
    }
    var samples: [Double] = []
    for _ in 0..<5 {
        try await Task.sleep(for: .seconds(1))
        if let rss = bot.status("VmRSS") { samples.append(Double(rss) / 1024) }
    }
    guard let last = samples.last else {
        print("   FAILED: could not read /proc/\(bot.pid)/status")
        return
    }
    report("resident memory, idle, one shard (last of 5 s)", last, "MB", target: "≤ 36 MB")
    report("resident memory, peak of the samples", samples.max() ?? last, "MB")
    if let shared = bot.status("RssFile") {
        report("  shared pages of binary + libraries (RssFile)", Double(shared) / 1024, "MB")
    }
    if let anonymous = bot.status("RssAnon") {
        report("  private memory of the process (RssAnon)", Double(anonymous) / 1024, "MB", target: "≤ 8 MB")
    }
    if let floor = try await floorMemory(in: bot.directory) {
        report("baseline: its libraries alone (memory-floor)", floor.resident, "MB")
        report("  private memory of memory-floor (RssAnon)", floor.anonymous, "MB")
    }
}

/// The same figure for `memory-floor`: libcurl, OpenSSL, SQLite and Foundation initialised the way the
/// bot initialises them, and nothing else. No build of the bot on these libraries can sit below it.
/// Resident and private memory in MB; nil when it was not built or did not start.
func floorMemory(in directory: URL) async throws -> (resident: Double, anonymous: Double)? {
    guard let floor = ClanbotProcess.sibling("memory-floor") else { return nil }
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
        return nil
    }
    try await Task.sleep(for: .seconds(3))
    guard let rss = statusField("VmRSS", pid: process.processIdentifier),
          let anonymous = statusField("RssAnon", pid: process.processIdentifier) else { return nil }
    return (Double(rss) / 1024, Double(anonymous) / 1024)
}
