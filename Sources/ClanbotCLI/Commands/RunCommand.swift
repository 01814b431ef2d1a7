import Bot
import Discord
import Domain
import Foundation
import Services
import Storage
import Synchronization

/// `clanbot run`: opens the database, connects every shard to the gateway and stays connected, logging each
/// state change with its reason; SIGINT or SIGTERM closes the gateway with 1000 and the database, then exits 0
/// (answers still being written get a few seconds; a second signal stops waiting for them).
enum RunCommand {
    static let subcommand = Subcommand(
        name: "run",
        summary: "run the bot: connect to Discord and serve the clan's commands",
        usage: """
        Usage: clanbot run [--token-file PATH] [--db PATH] [--shards i..j/n] [--compress]
                           [--rate REQUESTS_PER_SECOND] [--watch-every SECONDS] [...]

        Connects to Discord and answers the clan's slash commands until stopped with Ctrl-C
        (SIGINT) or SIGTERM: answers still being written get 5 seconds, unless a second Ctrl-C or
        SIGTERM comes. Needs DISCORD_TOKEN (or --token-file). While it runs it also starts the
        clans' scheduled snapshots, snapshots every member just before a contest starts and ends,
        and ends contests when their time comes. Several processes may share one database: each
        of these happens once.

          --shards i..j/n   run shards i through j of n (e.g. 0..3/8) so that several processes or
                            machines share the bot; by default this process runs every shard, as
                            many as Discord recommends
          --compress        ask the gateway for zlib-stream compression
          --rate R          hiscores requests per second this process makes (default 2; the
                            budget is per machine address, so each machine has its own)
          --watch-every S   how often to look for batches other processes run (to help drain
                            their members) or left behind (to take them over); default 30

        Exit status: 0 after a clean shutdown; 78 when a setting must be fixed first (no token, a
        token Discord rejects, a shard or intents Discord refuses), so supervisors do not restart
        it in a loop; 1 for anything else.
        """
    ) { context in
        try await run(context, shutdown: ShutdownSignals.system())
    }

    struct Arguments: Equatable {
        var shards: ShardSelection?
        var compress = false
        /// Hiscores requests per second of this process (`--rate`).
        var requestsPerSecond = ClanbotServices.defaultRequestsPerSecond
        /// The period of `BatchSnapshotService.watchAbandoned` (`--watch-every`).
        var watchEvery: Duration = .seconds(30)
    }

    static func parse(_ arguments: [String]) throws(CommandLineError) -> Arguments {
        let parsed = try CommandArguments(arguments, options: ["shards", "rate", "watch-every"], switches: ["compress"])
        if let extra = parsed.positionals.first { throw .usage("unexpected argument '\(extra)'") }
        var result = Arguments(compress: parsed.switches.contains("compress"))
        if let text = parsed.values["shards"] {
            do {
                result.shards = try ShardSelection.parse(text)
            } catch {
                throw .usage("--shards: \(error)")
            }
        }
        if let text = parsed.values["rate"] {
            guard let value = Double(text), value > 0, value <= 100 else {
                throw .usage("--rate must be a number of requests per second between 0 and 100 (got '\(text)')")
            }
            result.requestsPerSecond = value
        }
        if let text = parsed.values["watch-every"] {
            guard let value = Double(text), value >= 0.1, value <= 3600 else {
                throw .usage("--watch-every must be a number of seconds between 0.1 and 3600 (got '\(text)')")
            }
            result.watchEvery = .milliseconds(Int64(value * 1000))
        }
        return result
    }

    /// Runs until a shutdown signal (the name of which `shutdown` yields) or until the gateway gives up.
    static func run(_ context: Subcommand.Context, shutdown: AsyncStream<String>) async throws -> Int32 {
        let token = try requireToken(context.configuration)
        _ = try context.configuration.resolvedDrandPublicKey()  // a bad DRAND_PUBLIC_KEY stops here, with exit status 78
        let arguments = try parse(context.arguments)
        let output = context.output
        let log: @Sendable (String) -> Void = { output.print("[\(ISO8601Time.string(Date()))] \($0)") }

        let root: CompositionRoot
        do {
            var options = CompositionRoot.Options()
            options.log = log
            options.requestsPerSecond = arguments.requestsPerSecond
            root = try await CompositionRoot.open(context.configuration, options: options)
        } catch .discord(let error) {
            throw CommandLineError.configuration("cannot set up HTTPS to Discord: \(error)")
        } catch {
            output.error("clanbot run: \(error)")
            return 1
        }
        log("database \(root.store.path) ready (schema version \(root.store.schemaVersion))")
        guard let rest = root.discord else { throw CommandLineError.configuration("DISCORD_TOKEN is not set.") }
        // Start-up step: batches a stopped process left unfinished are resumed or closed before anything else runs.
        await root.recoverInterruptedBatches(log: log)
        let dispatcher = InteractionDispatcher(rest: rest, handler: root.router, log: log, onQuiet: { await root.relieveMemory() })
        var options = DiscordGateway.Options(token: token, shards: arguments.shards)
        options.compress = arguments.compress
        options.identifyCoordinator = root.identifyCoordinator
        let gateway = DiscordGateway(
            options: options, rest: rest, connector: WebSocketGatewayConnector(caFile: context.configuration.sslCertFile),
            onStatus: { log($0.description) },
            onDispatch: { _, dispatch in dispatcher.dispatch(dispatch) }
        )
        log("connecting to Discord (\(arguments.shards.map { "shards \($0)" } ?? "all shards"))")

        // Batch ends, failed schedule slots and contest steps reach the clans' webhooks while everything runs,
        // and what was posted last is still delivered before the database closes.
        async let announcements: Void = root.deliverEvents()
        let outcome = await serve(root: root, gateway: gateway, dispatcher: dispatcher, shutdown: shutdown,
                                  watchEvery: arguments.watchEvery, log: log)
        root.events.finish()
        await announcements
        await root.close()
        return exitStatus(outcome, output: output)
    }

    /// How `clanbot run` came to stop.
    enum Outcome: Sendable {
        case signal(String)
        case gatewayEnded(Result<[ShardID: GatewaySession.StopReason], DiscordRESTError>)
    }

    /// What one child of `serve`'s task group came to.
    private enum ChildEnd: Sendable {
        case signal(String)
        case gateway(Result<[ShardID: GatewaySession.StopReason], DiscordRESTError>)
        /// The answers still being written after the gateway closed are done, or `unfinished` were left.
        case drained(unfinished: Int)
        /// A loop or the signal watcher ended because it was cancelled (or the signals ran out).
        case quiet
    }

    /// How long the answers still being written get after a signal closed the gateway.
    static let shutdownGrace: Duration = .seconds(5)

    /// The gateway, the scheduler, the contest loop, the announcements pass and the signal watcher as the children of one task group.
    /// The shutdown order is all here: a signal closes the gateway (1000) first; once the gateway has ended,
    /// for whatever reason, the handlers still answering get a few seconds (a second signal cuts that short), then
    /// the loops and the watcher are cancelled, and the group returns when every child has.
    static func serve(root: CompositionRoot, gateway: DiscordGateway, dispatcher: InteractionDispatcher,
                      shutdown: AsyncStream<String>, watchEvery: Duration = .seconds(30),
                      log: @escaping @Sendable (String) -> Void) async -> Outcome {
        await withTaskGroup(of: ChildEnd.self) { group in
            group.addTask {
                do throws(DiscordRESTError) { return .gateway(.success(try await gateway.run())) } catch { return .gateway(.failure(error)) }
            }
            group.addTask { await nextSignal(shutdown) }
            // Scheduled snapshots.
            group.addTask {
                await root.services.schedules.run()
                return .quiet
            }
            // Batches another process left behind while this one runs (its own were recovered at start-up).
            group.addTask {
                await root.services.batches.watchAbandoned(every: watchEvery, log: log)
                return .quiet
            }
            // Contests keep their own time: the whole clan is snapshotted just before each contest's start and end,
            // and a contest ends when its time comes, so the entries are locked and published before the committed
            // drand round exists even if no officer is around to type /contest end.
            group.addTask {
                await root.services.contests.runLoop(snapshots: root.contestBoundaries, log: log)
                return .quiet
            }
            // Announcements a restart or an outage left unsent, then a pass every minute.
            group.addTask {
                await root.channelAnnouncer?.run()
                return .quiet
            }
            var signal: String?
            var outcome: Outcome?
            var hurry = false
            var finished = false
            func finish() {
                guard !finished else { return }
                finished = true
                log("gateway closed; goodbye")
                group.cancelAll()
            }
            while let end = await group.next() {
                switch end {
                case .signal(let name):
                    if signal == nil, outcome == nil {
                        signal = name
                        log("received \(name): closing the gateway")
                        group.addTask { await nextSignal(shutdown) }  // a second one stops waiting for answers
                        await gateway.stop()
                    } else if signal != nil, !finished {
                        log("received \(name) again: not waiting for the answers still being written")
                        hurry = true
                        if outcome != nil { finish() }
                    }
                case .gateway(let result):
                    outcome = signal.map(Outcome.signal) ?? .gatewayEnded(result)
                    if signal == nil {
                        finished = true
                        group.cancelAll()
                    } else if hurry {
                        finish()
                    } else {
                        group.addTask { .drained(unfinished: await dispatcher.drain(timeout: shutdownGrace)) }
                    }
                case .drained(let unfinished):
                    // After a second signal the drain was cancelled, not waited out: nothing to report.
                    if unfinished > 0, !finished { log("\(unfinished) interactions were still being answered; leaving them") }
                    finish()
                case .quiet:
                    break
                }
            }
            return outcome ?? .signal(signal ?? "the end of the shutdown signals")
        }
    }

    /// The next shutdown signal's name; `.quiet` when cancelled or the signals run out.
    private static func nextSignal(_ shutdown: AsyncStream<String>) async -> ChildEnd {
        for await name in shutdown { return .signal(name) }
        return .quiet
    }

    /// 0 after a signal; 78 when a setting must be fixed before a restart; 1 otherwise. Says why on stderr.
    static func exitStatus(_ outcome: Outcome, output: any Output) -> Int32 {
        switch outcome {
        case .signal:
            return 0
        case .gatewayEnded(.failure(let error)):
            output.error("clanbot run: \(explain(error))")
            // A rejected token will be rejected again: tell the supervisor not to restart.
            if case .api(_, 401, _) = error { return CommandLineError.configurationExitStatus }
            return 1
        case .gatewayEnded(.success(let reasons)):
            let messages = reasons.values.compactMap { reason -> String? in
                if case .fatal(_, let message) = reason { return message }
                return nil
            }
            output.error("clanbot run: stopped. " + (messages.isEmpty ? "Every shard closed." : Set(messages).sorted().joined(separator: " ")))
            // Fatal close codes (bad token, shard or intents) need an operator's fix before a restart.
            return messages.isEmpty ? 1 : CommandLineError.configurationExitStatus
        }
    }

    static func requireToken(_ configuration: Configuration) throws(CommandLineError) -> String {
        guard let token = configuration.discordToken, !token.isEmpty else {
            throw .configuration(
                "DISCORD_TOKEN is not set. Put the bot token from the Discord developer portal in DISCORD_TOKEN (or in a file named by --token-file)."
            )
        }
        return CompositionRoot.bareToken(token)
    }

    /// The Discord REST client of the composition root, for commands that need nothing else.
    static func makeREST(_ configuration: Configuration) throws(CommandLineError) -> DiscordREST {
        let rest: DiscordREST?
        do {
            rest = try CompositionRoot.discordREST(configuration, transport: nil)
        } catch {
            throw .configuration(error.description)
        }
        guard let rest else { throw .configuration("DISCORD_TOKEN is not set.") }
        return rest
    }

    /// The error, plus what to do about the common ones.
    static func explain(_ error: DiscordRESTError) -> String {
        switch error {
        case .api(_, 401, _):
            return "\(error). Discord did not accept DISCORD_TOKEN: copy the bot token again from the developer portal (Bot → Reset Token)."
        case .api(_, 403, _):
            return "\(error). The bot lacks access: check it was invited with the applications.commands scope and the needed permissions."
        default:
            return error.description
        }
    }
}

/// SIGINT and SIGTERM as an async stream of their names. Their default actions are turned off for good
/// once the stream exists: the bot closes the gateway (1000) and the database before exiting, and a signal
/// that comes after the stream ended (the bot is already saying goodbye) must not kill it half-way out.
enum ShutdownSignals {
    static func system() -> AsyncStream<String> {
        AsyncStream { continuation in
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(name) }
                source.resume()
                sources.append(source)
            }
            let installed = SignalSources(sources)
            continuation.onTermination = { _ in installed.cancel() }
        }
    }
}

/// Keeps the signal sources alive for the stream's lifetime. They are not Sendable: the `Mutex` owns them (they
/// are handed over at init) and they are only touched under it.
final class SignalSources: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>
    init(_ sources: sending [any DispatchSourceSignal]) { self.sources = Mutex(sources) }

    func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
        }
    }
}
