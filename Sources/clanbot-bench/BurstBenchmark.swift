import Domain
import Foundation
import Synchronization
import TestSupport

/// Memory that comes back: the real `clanbot run` on a database holding a clan of BURST_MEMBERS (default 300)
/// with BURST_DAYS (default 42) daily snapshots each, against the fake Discord and the fake hiscores. Idle,
/// then BURST_COMMANDS (default 2,000) read commands (/leaderboard and its page buttons, /records, /hiscores,
/// /stats, /gains, /player, /achievements over many metrics, timeframes and members) typed by members, 50 in
/// flight, each read, computed, cached and answered over REST; then idle again for up to BURST_SETTLE_SECONDS
/// (default 60). Prints resident and private memory idle, at the peak and settled, beside `memory-floor`'s.
let burstBenchmark = Benchmark(name: "burst", summary: "`clanbot run` with a real clan through 2,000 read commands, 50 in flight: does memory come back?") {
    let environment = ProcessInfo.processInfo.environment
    let total = max(100, Int(environment["BURST_COMMANDS"] ?? "") ?? 2_000)
    let members = max(10, Int(environment["BURST_MEMBERS"] ?? "") ?? 300)
    let days = max(8, Int(environment["BURST_DAYS"] ?? "") ?? 42)
    let settle = max(5, Int(environment["BURST_SETTLE_SECONDS"] ?? "") ?? 60)
    let inFlight = 50

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-burst-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("clan.sqlite").path
    let clan = try await BenchClanDataset.fill(path: path, guildID: InteractionFixtures.guildID, members: members, days: days)
    report("clan: members × daily snapshots", count: members * days)

    let hiscores = try FakeHiscoresServer()
    defer { hiscores.stop() }
    for (index, name) in clan.names.enumerated() { hiscores.set(name, on: .regular, .typical(seed: UInt64(index) + 1)) }

    let commands = ReadCommandMix(members: clan.names, clanID: clan.clanID).commands(total)
    let answers = BurstAnswers()
    let go = DispatchSemaphore(value: 0)
    let discord = try FakeDiscord { connection in
        try connection.sendHello(heartbeatInterval: 1000)
        _ = try connection.next(op: 2)
        try connection.sendReady(sessionID: "burst", sequence: 1)
        while go.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            if try connection.serve(for: .milliseconds(1)) != nil { return }
        }
        var sent = 0
        while sent < commands.count {
            if sent - answers.count < inFlight {
                let id = "\(100_000 + sent)", token = "burst-\(sent)"
                switch commands[sent] {
                case .command(let name, let options):
                    try connection.sendRaw(InteractionFixtures.command(name, options: options, sequence: sent + 2, interactionID: id, token: token))
                case .button(let customID):
                    try connection.sendRaw(buttonPress(customID, sequence: sent + 2, interactionID: id, token: token))
                }
                sent += 1
            } else if try connection.serve(for: .milliseconds(2)) != nil {
                return
            }
        }
        _ = try connection.serve(for: .seconds(Int64(settle) + 120))
    }
    discord.router.routeEverythingElse { request in answers.record(request) }
    guard let bot = try ClanbotProcess(runningAgainst: discord, databasePath: path, environment: ["OSRS_HISCORES_BASE": hiscores.baseURL]) else { return }
    guard try await bot.waitUntilReady() else {
        print("   FAILED: clanbot run did not become ready")
        return
    }
    try await Task.sleep(for: .seconds(3))
    let idle = MemorySample(bot)
    var peak = idle
    let start = ContinuousClock.now
    go.signal()
    while answers.count < total, ContinuousClock.now - start < .seconds(600), bot.process.isRunning {
        try await Task.sleep(for: .milliseconds(100))
        peak = peak.max(MemorySample(bot))
    }
    let elapsed = ContinuousClock.now - start
    // Settled: the sample BURST_SETTLE_SECONDS after the last answer; sampled every second on the way, noting when
    // resident memory first came within 15 MB of idle.
    var settled = MemorySample(bot)
    var cameBack: Int?
    for second in 1...settle where bot.process.isRunning {
        try await Task.sleep(for: .seconds(1))
        settled = MemorySample(bot)
        if cameBack == nil, settled.resident - idle.resident <= 15 { cameBack = second }
    }
    guard bot.process.isRunning else {
        print("   FAILED: clanbot run exited (status \(bot.process.terminationStatus)) during the burst")
        return
    }
    report("commands answered", count: answers.count)
    report("  of which refusals (⚠️)", count: answers.refusals)
    if let sample = answers.firstRefusal { print("   first refusal: \(sample.prefix(300))") }
    report("  in", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, "s")
    print("   memory (MB)                                      idle     peak  settled (\(settle) s after)")
    print("   resident (VmRSS)                             \(column(idle.resident)) \(column(peak.resident)) \(column(settled.resident))")
    print("   private (RssAnon)                            \(column(idle.anonymous)) \(column(peak.anonymous)) \(column(settled.anonymous))")
    print("   threads                                      \(column(Double(idle.threads))) \(column(Double(peak.threads))) \(column(Double(settled.threads)))")
    report("resident memory, settled − idle", settled.resident - idle.resident, "MB", target: "≤ 15 MB")
    if let cameBack { report("  within 15 MB of idle after", Double(cameBack), "s", target: "≤ 60 s") } else { print("   resident memory did not come within 15 MB of idle in \(settle) s") }
    report("resident memory, idle", idle.resident, "MB", target: "≤ 36 MB")
    report("private memory, idle", idle.anonymous, "MB", target: "≤ 8 MB")
    if let floor = try await floorMemory(in: directory) {
        report("baseline: memory-floor resident", floor.resident, "MB")
        report("baseline: memory-floor private", floor.anonymous, "MB")
    }
}

/// The read commands members type, spread over metrics, timeframes, periods and members so that every cache
/// in the bot sees many distinct keys (as a busy clan's day would), in a fixed order.
private struct ReadCommandMix {
    enum Command {
        /// A slash command: name and string options.
        case command(String, [(String, String)])
        /// A button press (a leaderboard's next page).
        case button(String)
    }

    let members: [String]
    let clanID: Int64
    private let skills = Array(HiscoresRows.skillNames.dropFirst())
    private let bosses = Array(HiscoresRows.activityNames.drop { $0 != "Abyssal Sire" })
    private let tiers = ["all", "beginner", "easy", "medium", "hard", "elite", "master"]
    private let timeframes = ["7d", "30d", "mtd"]

    func commands(_ count: Int) -> [Command] {
        (0..<count).map(command)
    }

    private func command(_ index: Int) -> Command {
        let round = index / 8
        let timeframe = ("timeframe", timeframes[round % timeframes.count])
        switch index % 8 {
        case 0: return .command("leaderboard", metric(round, hiscores: false) + [timeframe])
        case 1: return .command("records", metric(round, hiscores: false) + [("period", ["day", "week", "month"][round % 3])])
        case 2: return .command("hiscores", metric(round, hiscores: true))
        case 3: return .command("stats", [timeframe])
        case 4: return .command("gains", [("rsn", members[round % members.count]), timeframe])
        case 5: return .command("player", [("rsn", members[(round * 3) % members.count])])
        case 6: return .button(pageButton(round))
        default: return .command("achievements", [("rsn", members[(round * 7) % members.count])])
        }
    }

    /// A page of an earlier round's leaderboard (a member paging through what someone asked for).
    private func pageButton(_ round: Int) -> String {
        let earlier = max(0, round - 3)
        let pick = earlier / 3
        let (kind, parameter): (String, String) = switch earlier % 5 {
        case 0: ("xp_gained", "")
        case 1: ("skill_xp", skills[pick % skills.count])
        case 2: ("boss_kc", bosses[pick % bosses.count])
        case 3: ("clues", tiers[pick % tiers.count])
        default: ("levels_gained", "")
        }
        return "lb.page|\(clanID)|\(kind)|\(parameter)|\(timeframes[earlier % timeframes.count])|\(1 + round % 4)"
    }

    private func metric(_ round: Int, hiscores: Bool) -> [(String, String)] {
        let pick = round / 3
        switch round % 5 {
        case 0: return [("metric", hiscores ? "overall" : "xp_gained")]
        case 1: return [("metric", hiscores ? "skill" : "skill_xp"), ("skill", skills[pick % skills.count])]
        case 2: return [("metric", hiscores ? "boss" : "boss_kc"), ("boss", bosses[pick % bosses.count])]
        case 3: return [("metric", "clues"), ("tier", tiers[pick % tiers.count])]
        default: return hiscores ? [("metric", "overall")] : [("metric", "levels_gained")]
        }
    }
}

/// A member's press of a button with `customID` on a message of the bot, in the fixtures' guild.
private func buttonPress(_ customID: String, sequence: Int, interactionID: String, token: String) -> String {
    """
    {"op":0,"s":\(sequence),"t":"INTERACTION_CREATE","d":{"application_id":"\(InteractionFixtures.applicationID)","app_permissions":"562949953421311",
     "channel_id":"1094880690000000001","guild_id":"\(InteractionFixtures.guildID)","guild_locale":"en-US","locale":"en-GB","id":"\(interactionID)",
     "member":{"user":{"id":"1094880000000000042","username":"member","global_name":null,"discriminator":"0"},"roles":[],"permissions":"1024","nick":null},
     "message":{"id":"1181390740425830000","channel_id":"1094880690000000001","content":"","flags":0},
     "data":{"custom_id":"\(customID)","component_type":2},
     "token":"\(token)","type":3,"version":1}}
    """
}

/// The fake Discord's REST side for the burst: counts an interaction answered when its final answer arrives
/// (an immediate reply, or the edit after a deferral), whatever the bot said.
private final class BurstAnswers: Sendable {
    private struct Tally {
        var answered: Set<String> = []
        var refused = 0
        var refusal: String?
    }

    private let tally = Mutex(Tally())

    var count: Int { tally.withLock { $0.answered.count } }
    var refusals: Int { tally.withLock { $0.refused } }
    var firstRefusal: String? { tally.withLock { $0.refusal } }

    func record(_ request: HTTPTestRequest) -> HTTPTestResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        // /api/v10/interactions/ID/TOKEN/callback or /api/v10/webhooks/APP/TOKEN[/messages/@original]
        guard parts.count >= 5 else { return .status(404) }
        let token = parts[4]
        let isCallback = parts[2] == "interactions" && parts.last == "callback"
        if isCallback, [5, 6].contains(Self.callbackType(request.body)) { return .status(204) }  // deferred: the edit follows
        tally.withLock { tally in
            if tally.answered.insert(token).inserted, request.text.contains("⚠️") {
                tally.refused += 1
                if tally.refusal == nil { tally.refusal = request.text }
            }
        }
        return isCallback ? .status(204) : .json(#"{"id":"5","channel_id":"1094880690000000001","content":""}"#)
    }

    private static func callbackType(_ body: Data) -> Int? {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["type"] as? Int
    }
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

private func column(_ value: Double) -> String {
    let text = String(format: "%.1f", value)
    return String(repeating: " ", count: max(0, 8 - text.count)) + text
}
