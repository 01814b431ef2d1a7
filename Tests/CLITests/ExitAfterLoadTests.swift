import Foundation
import Testing
import TestSupport

/// SIGTERM right after a burst of commands ends the real `clanbot run` with status 0 and a goodbye, every time.
///
/// The failure this guards against: transfer threads still answering interactions over HTTPS (as Discord's REST
/// is) when `exit()` ran OpenSSL's cleanup took a lock the cleanup had freed, and the process died of SIGSEGV after
/// saying goodbye. To have answers on the wire when the process exits, the fake's answers each close their
/// connection (every request starts a TLS handshake) and a second SIGTERM stops the bot from waiting for them.
/// The crash shows only some of the time, so many bots run, a few at once.
@Suite struct ExitAfterLoadTests {
    static let rounds = 12
    static let atOnce = 2

    @Test func sigtermRightAfterABurstExitsZeroEveryTime() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clanbot")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("the clanbot executable is not next to the test bundle (\(binary.path)); build with `swift build --build-tests`")
            return
        }
        var failures: [String] = []
        for batch in 0..<(Self.rounds / Self.atOnce) {
            failures += try await withThrowingTaskGroup(of: String?.self) { group in
                for slot in 0..<Self.atOnce {
                    group.addTask { try await Self.burstThenSIGTERM(binary, round: batch * Self.atOnce + slot) }
                }
                return try await group.reduce(into: []) { all, failure in if let failure { all.append(failure) } }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.rounds) runs did not exit cleanly:\n\(failures.joined(separator: "\n"))")
    }

    /// One bot: 40 commands (database reads answered over HTTPS, answers still in flight), then SIGTERM twice.
    /// Returns what went wrong, or nil for a clean exit.
    static func burstThenSIGTERM(_ binary: URL, round: Int) async throws -> String? {
        let discord = try FakeDiscord(restOverTLS: true) { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "exit-\(round)", sequence: 1)
            for index in 0..<40 {
                let name = ["stats", "leaderboard", "gains", "records"][index % 4]
                let options = name == "stats" ? [] : name == "gains" ? [("rsn", "Zezima")] : [("metric", "xp_gained")]
                try connection.sendRaw(InteractionFixtures.command(name, options: options, sequence: index + 2,
                                                                   interactionID: "\(7000 + index)", token: "exit-\(index)"))
            }
            _ = try connection.serve(for: .seconds(60))
        }
        // Each answer ends its connection, so the transfer threads keep running TLS handshakes.
        discord.router.routeEverythingElse { request in
            var answer: HTTPTestResponse = request.method == "POST" ? .status(204) : .json(#"{"id":"5"}"#)
            answer.headers.add("Connection", "close")
            return answer.delayed(by: .milliseconds(request.target.count % 3))
        }
        let files = try TemporaryDirectory("run")
        let bot = try LaunchedBot(binary, environment: RunCommandTests.environment(discord, files), logName: "exit-\(round)")
        defer { bot.finish() }
        let process = bot.process
        guard await RunCommandTests.wait(until: { discord.restRequests.count >= 6 }) else {
            process.terminate()
            return "round \(round): the bot never got busy: \(bot.written())"
        }
        process.terminate()  // SIGTERM while answers are in flight
        _ = await RunCommandTests.wait(until: { bot.written().contains("received SIGTERM") })
        if process.isRunning { process.terminate() }  // and again: no waiting for the answers
        guard await RunCommandTests.wait(until: { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            return "round \(round): still running long after SIGTERM: \(bot.written())"
        }
        if process.terminationReason != .exit {
            return "round \(round): died of signal \(process.terminationStatus) after: \(bot.written().suffix(300))"
        }
        if process.terminationStatus != 0 || !bot.written().contains("goodbye") {
            return "round \(round): exit status \(process.terminationStatus): \(bot.written().suffix(600))"
        }
        return nil
    }
}
