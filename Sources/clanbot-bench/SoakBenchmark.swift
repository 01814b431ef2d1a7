import Foundation
import TestSupport

/// `clanbot run` kept busy for SOAK_SECONDS (default 60) by a gateway that never lets it settle: every
/// connection carries a slash command, then ends in op 7, a 4000 close, a zombie (heartbeats never
/// acknowledged) or op 9. Memory, threads and open files are read after a warm-up and at the end:
/// a leak on any reconnect path shows as growth per hundred connections.
let soakBenchmark = Benchmark(name: "soak", summary: "`clanbot run` through endless reconnects: does memory, threads or files grow?") {
    let seconds = max(10, Int(ProcessInfo.processInfo.environment["SOAK_SECONDS"] ?? "") ?? 60)
    let sequence = LockedValue(1)
    let discord = try FakeDiscord { connection in
        try connection.sendHello(heartbeatInterval: 250)
        let opening = try connection.next(oneOf: [2, 6])
        let ready = sequence.withLock { $0 += 2; return $0 }
        if opening.op == 2 {
            try connection.sendReady(sessionID: "soak", sequence: ready)
        } else {
            try connection.sendResumed(sequence: ready)
        }
        // A slash command on every connection: gateway → router → database → REST answer.
        try connection.sendRaw(InteractionFixtures.slashCommand(sequence: ready + 1, interactionID: "900", token: "soak"))
        try connection.sendHeartbeatRequest()
        guard try connection.serve(for: .milliseconds(400)) == nil else { return }
        switch connection.index % 8 {
        case 0, 1, 2:
            try connection.sendReconnect()
            _ = try? connection.awaitClose()
        case 3, 4:
            connection.close(code: 4000, reason: "soak")
        case 5:
            _ = try connection.serve(for: .seconds(3), acknowledgingHeartbeats: false)  // the client gives up on it
        case 6:
            try connection.sendInvalidSession(resumable: true)
            _ = try? connection.awaitClose(timeout: .seconds(8))
        default:
            try connection.sendInvalidSession(resumable: false)
            _ = try? connection.awaitClose(timeout: .seconds(8))
        }
    }
    discord.router.route("POST", "/api/v10/interactions/900/soak/callback") { _ in .status(204) }
    guard let bot = try ClanbotProcess(runningAgainst: discord) else { return }
    guard try await bot.waitUntilReady() else {
        print("   FAILED: clanbot run did not become ready")
        return
    }

    let warmUp = max(5, seconds / 5)
    try await Task.sleep(for: .seconds(warmUp))
    let start = Sample(bot, connections: discord.gateway.connectionCount)
    try await Task.sleep(for: .seconds(seconds - warmUp))
    let end = Sample(bot, connections: discord.gateway.connectionCount)
    guard bot.process.isRunning else {
        print("   FAILED: clanbot run exited (status \(bot.process.terminationStatus)) during the soak")
        return
    }

    let received = discord.received
    let answered = discord.restRequests.filter { $0.path.hasSuffix("/900/soak/callback") }.count
    let cycles = max(1, end.connections - start.connections)
    report("connections in \(seconds) s", count: end.connections)
    report("  identifies", count: received.filter(\.isIdentify).count)
    report("  resumes", count: received.filter(\.isResume).count)
    report("slash commands answered", count: answered)
    change("resident memory, after warm-up → end", start.residentMB, end.residentMB, "MB")
    report("  growth per 100 connections", (end.residentMB - start.residentMB) * 100 / Double(cycles), "MB")
    change("threads, after warm-up → end", Double(start.threads), Double(end.threads), "")
    change("open files, after warm-up → end", Double(start.files), Double(end.files), "")
    if !discord.gatewayErrors.isEmpty {
        print("   fake gateway errors: \(discord.gatewayErrors.prefix(3).joined(separator: "; "))")
    }
}

private struct Sample {
    let connections: Int
    let residentMB: Double
    let threads: Int
    let files: Int

    init(_ bot: ClanbotProcess, connections: Int) {
        self.connections = connections
        residentMB = Double(bot.status("VmRSS") ?? 0) / 1024
        threads = bot.status("Threads") ?? 0
        files = bot.openFiles ?? 0
    }
}

private func change(_ label: String, _ before: Double, _ after: Double, _ unit: String) {
    let format = { (value: Double) in value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value) }
    print("   \(label.padding(toLength: 48, withPad: " ", startingAt: 0)) \(format(before)) → \(format(after)) \(unit)")
}
