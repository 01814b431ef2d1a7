import Foundation
import TestSupport

/// Memory that comes back: `clanbot run` idle, then BURST_COMMANDS (default 2,000) slash commands with 50 in
/// flight from the fake gateway (each read, routed and answered over REST), then idle again for
/// BURST_SETTLE_SECONDS (default 60). Prints resident and private memory idle, at the peak and settled; the
/// settled figure should be within 15 MB of idle.
let burstBenchmark = Benchmark(name: "burst", summary: "`clanbot run` through 2,000 commands, 50 in flight: does memory come back?") {
    let environment = ProcessInfo.processInfo.environment
    let total = max(100, Int(environment["BURST_COMMANDS"] ?? "") ?? 2_000)
    let inFlight = 50
    let settle = max(5, Int(environment["BURST_SETTLE_SECONDS"] ?? "") ?? 60)
    let answered = LockedValue(0)
    let go = DispatchSemaphore(value: 0)
    let discord = try FakeDiscord { connection in
        try connection.sendHello(heartbeatInterval: 1000)
        _ = try connection.next(op: 2)
        try connection.sendReady(sessionID: "burst", sequence: 1)
        while go.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            if try connection.serve(for: .milliseconds(1)) != nil { return }
        }
        var sent = 0
        while sent < total {
            if sent - answered.value < inFlight {
                try connection.sendRaw(InteractionFixtures.slashCommand(sequence: sent + 2, interactionID: "\(100_000 + sent)", token: "burst"))
                sent += 1
            } else if try connection.serve(for: .milliseconds(2)) != nil {
                return
            }
        }
        _ = try connection.serve(for: .seconds(Int64(settle) + 120))
    }
    guard let bot = try ClanbotProcess(runningAgainst: discord) else { return }
    guard try await bot.waitUntilReady() else {
        print("   FAILED: clanbot run did not become ready")
        return
    }
    try await Task.sleep(for: .seconds(3))
    let idle = MemorySample(bot)
    var peak = idle
    let start = ContinuousClock.now
    go.signal()
    while answered.value < total, ContinuousClock.now - start < .seconds(300) {
        try await Task.sleep(for: .milliseconds(100))
        answered.withLock { $0 = discord.restRequests.filter { $0.path.hasSuffix("/burst/callback") }.count }
        peak = peak.max(MemorySample(bot))
    }
    let elapsed = ContinuousClock.now - start
    try await Task.sleep(for: .seconds(settle))
    let settled = MemorySample(bot)
    report("commands answered", count: answered.value)
    report("  in", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, "s")
    report("resident memory, idle", idle.resident, "MB")
    report("resident memory, peak", peak.resident, "MB")
    report("resident memory, \(settle) s after", settled.resident, "MB", target: "within 15 MB of idle")
    report("private memory (RssAnon), idle → peak → settled", settled.anonymous, "MB")
    print("   private memory: \(format(idle.anonymous)) → \(format(peak.anonymous)) → \(format(settled.anonymous)) MB; threads \(idle.threads) → \(peak.threads) → \(settled.threads)")
}

private struct MemorySample {
    var resident: Double
    var anonymous: Double
    var threads: Int

    init(_ bot: ClanbotProcess) {
        resident = Double(bot.status("VmRSS") ?? 0) / 1024
        anonymous = Double(bot.status("RssAnon") ?? 0) / 1024
        threads = bot.status("Threads") ?? 0
    }

    func max(_ other: MemorySample) -> MemorySample {
        var result = self
        result.resident = Swift.max(resident, other.resident)
        result.anonymous = Swift.max(anonymous, other.anonymous)
        result.threads = Swift.max(threads, other.threads)
        return result
    }
}

private func format(_ value: Double) -> String { String(format: "%.1f", value) }
