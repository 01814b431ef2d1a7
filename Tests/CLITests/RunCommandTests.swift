import Discord
import Foundation
import Services
import Storage
import Testing
import TestSupport
@testable import ClanbotCLI

/// `clanbot run` against the fake Discord: connects, logs its state changes, answers an interaction with
/// the stand-in reply, and on a shutdown signal closes the gateway with 1000 and exits 0.
@Suite struct RunCommandTests {
    /// The bot's environment against `discord`, with its database in `files` (keep it alive while the bot runs).
    static func environment(_ discord: FakeDiscord, _ files: TemporaryDirectory) -> [String: String] {
        [
            "DISCORD_TOKEN": "run-token", "DISCORD_API_BASE": discord.apiBase,
            "SSL_CERT_FILE": discord.caFilePath ?? "", "CLANBOT_DB": files.path(),
        ]
    }

    static func context(_ environment: [String: String], _ arguments: [String] = [], output: CapturedOutput) throws -> Subcommand.Context {
        var rest = arguments
        let configuration = try Configuration.resolve(environment: environment, arguments: &rest)
        return Subcommand.Context(configuration: configuration, arguments: rest, output: output)
    }

    /// Generous by default: a loaded CI machine can take many seconds to start the bot; a pass returns at once.
    static func wait(until condition: () -> Bool, timeout: Duration = .seconds(45)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return condition()
    }

    @Test func connectsAnswersAndShutsDownCleanlyOnASignal() async throws {
        let closeCodes = AsyncMailbox<UInt16?>()
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "run-session", sequence: 1)
            try connection.sendRaw(InteractionFixtures.slashCommand(sequence: 2, interactionID: "777", token: "run-itok"))
            let frame = try connection.serve(for: .seconds(20))
            closeCodes.send(frame?.code)
        }
        let callbacks = AsyncMailbox<Bool>()
        discord.router.route("POST", "/api/v10/interactions/777/run-itok/callback") { _ in
            callbacks.send(true)
            return .status(204)
        }
        let output = CapturedOutput()
        let files = try TemporaryDirectory("run")
        let context = try Self.context(Self.environment(discord, files), output: output)
        let (signals, trigger) = AsyncStream<String>.makeStream()
        let running = Task { try await RunCommand.run(context, shutdown: signals) }

        try await output.waitForLine(containing: "ready as clanbot")
        _ = try await callbacks.next("the interaction's callback") { $0 }
        trigger.yield("SIGTERM")
        let status = try await running.value
        #expect(status == 0, "\(output.standardError)")
        #expect(try await closeCodes.next("the gateway's close", within: .seconds(45)) { $0 } == 1000)
        let log = output.standardOutput
        #expect(log.contains("connecting to wss://127.0.0.1"))
        #expect(log.contains("received SIGTERM"))
        #expect(log.contains("goodbye"))
        let callback = try #require(discord.restRequests.first { $0.path.hasSuffix("/callback") })
        let body = try JSONSerialization.jsonObject(with: callback.body) as? [String: Any]
        // The bot answered (the fixture's /contest admin draw is not one of clanbot's commands: a private explanation).
        #expect((body?["data"] as? [String: Any])?["flags"] as? Int == 64)
        #expect(((body?["data"] as? [String: Any])?["content"] as? String)?.contains("/contest admin draw") == true)
        // The shard's identify was reserved in the database, where other processes of the bot would see it.
        let holder = try await Store(path: files.path()).read { db in
            try db.scalar("SELECT holder FROM identify_buckets WHERE bucket = 0", as: String.self)
        }
        #expect(holder == BatchSnapshotService.processOwner)
    }

    /// An answer Discord never takes would hold the shutdown for its grace period; a second signal stops waiting.
    @Test func aSecondSignalStopsWaitingForAnswers() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "run-twice", sequence: 1)
            try connection.sendRaw(InteractionFixtures.slashCommand(sequence: 2, interactionID: "778", token: "run-slow"))
            _ = try connection.serve(for: .seconds(30))
        }
        let callbacks = AsyncMailbox<Bool>()
        discord.router.route("POST", "/api/v10/interactions/778/run-slow/callback") { _ in
            callbacks.send(true)
            return HTTPTestResponse.status(204).delayed(by: .seconds(30))
        }
        let output = CapturedOutput()
        let files = try TemporaryDirectory("run")
        let context = try Self.context(Self.environment(discord, files), output: output)
        let (signals, trigger) = AsyncStream<String>.makeStream()
        let running = Task { try await RunCommand.run(context, shutdown: signals) }

        _ = try await callbacks.next("the interaction's callback") { $0 }
        trigger.yield("SIGTERM")
        try await output.waitForLine(containing: "received SIGTERM")
        trigger.yield("SIGINT")
        let status = try await running.value
        #expect(status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("received SIGINT again: not waiting for the answers still being written"))
        // The grace period was not waited out (that says how many answers it left).
        #expect(!output.standardOutput.contains("were still being answered"))
        #expect(output.standardOutput.contains("goodbye"))
    }

    @Test func aContestEndsOnItsOwnWhileTheBotRuns() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "contest-session", sequence: 1)
            try connection.serve(for: .seconds(20))
        }
        let files = try TemporaryDirectory("run")
        let environment = Self.environment(discord, files)
        // An active contest ending eight seconds from now (setting it up takes seconds on a loaded machine), set up the way /contest would.
        let store = try await Store(path: try #require(environment["CLANBOT_DB"]))
        let service = ContestService(store: store, http: nil)
        let clanID = try await store.write { db in try db.clans.create(guildID: "1", name: "Iron Legion").id }
        let contest = try await service.create(ContestDraft(clanID: clanID, name: "Quick raffle", startAt: Date().addingTimeInterval(-3600),
                                                            endAt: Date().addingTimeInterval(8)))
        _ = try await service.addRule(contestID: contest.id, kind: .totalXP, targets: [], threshold: 1, title: "Any xp")
        _ = try await service.activate(contestID: contest.id)
        // And a batch a process that stopped a day ago left running: closed before the bot connects.
        let leftBehind = "left-behind-batch"
        _ = try await store.write { db in
            try db.batchRuns.create(clanID: clanID, jobID: leftBehind, mode: .auto, source: "manual", scheduledFor: nil,
                                    requestedBy: nil, owner: "gone-host/1/x", now: Date().addingTimeInterval(-86_400))
        }

        let output = CapturedOutput()
        let (signals, trigger) = AsyncStream<String>.makeStream()
        let running = Task { try await RunCommand.run(try Self.context(environment, output: output), shutdown: signals) }
        try await output.waitForLine(containing: "contest #\(contest.id) Quick raffle ended with no entries")
        trigger.yield("SIGTERM")
        #expect(try await running.value == 0)
        #expect(try await service.detail(contestID: contest.id).contest.status == .ended)
        let log = output.standardOutput
        let closed = try #require(log.range(of: "closed interrupted batch \(leftBehind): closed on restart"), "\(log)")
        let connecting = try #require(log.range(of: "connecting to Discord"))
        #expect(closed.lowerBound < connecting.lowerBound)  // a start-up step, before the gateway and the loops
        try await store.close()
    }

    @Test func aRejectedTokenAtTheGatewayGivesUpWithTheFix() async throws {
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            connection.close(code: 4004, reason: "Authentication failed.")
        }
        let output = CapturedOutput()
        let files = try TemporaryDirectory("run")
        let context = try Self.context(Self.environment(discord, files), output: output)
        let (signals, _) = AsyncStream<String>.makeStream()
        let status = try await RunCommand.run(context, shutdown: signals)
        #expect(status == CommandLineError.configurationExitStatus)
        #expect(output.standardOutput.contains("giving up"))
        #expect(output.standardError.contains("DISCORD_TOKEN"))
        #expect(discord.gateway.connectionCount == 1)
    }

    @Test func aFailingGatewayBotRequestIsReported() async throws {
        let discord = try FakeDiscord { _ in }
        discord.answerGatewayBot(with: .json(#"{"message":"401: Unauthorized","code":0}"#, status: 401))
        let output = CapturedOutput()
        let (signals, _) = AsyncStream<String>.makeStream()
        let files = try TemporaryDirectory("run")
        let status = try await RunCommand.run(try Self.context(Self.environment(discord, files), output: output), shutdown: signals)
        #expect(status == CommandLineError.configurationExitStatus)
        #expect(output.standardError.contains("did not accept DISCORD_TOKEN"))
    }

    @Test func shardFlagsAreParsedAndBadOnesRejected() throws {
        #expect(try RunCommand.parse(["--shards", "0..3/8"]).shards == ShardSelection(first: 0, last: 3, count: 8))
        #expect(try RunCommand.parse(["--shards=1/2", "--compress"]) == RunCommand.Arguments(shards: ShardSelection(first: 1, last: 1, count: 2), compress: true))
        #expect(throws: CommandLineError.self) { try RunCommand.parse(["--shards", "9/8"]) }
        #expect(throws: CommandLineError.self) { try RunCommand.parse(["--shards"]) }
        #expect(throws: CommandLineError.self) { try RunCommand.parse(["--frobnicate"]) }
        let tuned = try RunCommand.parse(["--rate", "20", "--watch-every=0.5"])
        #expect(tuned.requestsPerSecond == 20 && tuned.watchEvery == .milliseconds(500))
        #expect(RunCommand.Arguments().requestsPerSecond == 2 && RunCommand.Arguments().watchEvery == .seconds(30))
        for bad in [["--rate", "0"], ["--rate", "fast"], ["--rate", "500"], ["--watch-every", "0"], ["--watch-every", "x"]] {
            #expect(throws: CommandLineError.self) { try RunCommand.parse(bad) }
        }
    }

    /// The real binary, stopped with a real SIGTERM.
    @Test func theExecutableExitsZeroOnSIGTERMAfterClosingWith1000() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clanbot")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("the clanbot executable is not next to the test bundle (\(binary.path)); build with `swift build --build-tests`")
            return
        }
        let closeCode = LockedValue<UInt16?>(nil)
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 2000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "process", sequence: 1)
            let frame = try connection.serve(for: .seconds(30))
            closeCode.withLock { $0 = frame?.code }
        }
        let files = try TemporaryDirectory("run")
        let bot = try LaunchedBot(binary, environment: Self.environment(discord, files), logName: "run")
        defer { bot.finish() }
        let process = bot.process
        let written = bot.written
        let ready = await Self.wait { written().contains("ready as") }
        #expect(ready, "\(written())")
        process.terminate()  // SIGTERM
        let exited = await Self.wait(until: { !process.isRunning }, timeout: .seconds(15))
        guard exited else {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("clanbot run did not exit after SIGTERM: \(written())")
            return
        }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(await Self.wait { closeCode.value != nil })
        #expect(closeCode.value == 1000)
        #expect(written().contains("received SIGTERM"))
    }
}
