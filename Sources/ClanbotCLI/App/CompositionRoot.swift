import Bot
import Discord
import Domain
import Foundation
import Hiscores
import Services
import Storage
import Transport

/// The one place clanbot's object graph is built from the configuration: the database, the HTTP clients,
/// every service, the clan-event stream and its announcers, the Discord REST client and the bot's router.
/// `clanbot run`, every operator subcommand and the bot tests build it the same way; what differs between
/// them (rates, clocks, the Discord transport) is an `Options` value, never a different wiring.
///
/// Everything is passed at init, so nothing depends on calling set-up methods in the right order. Events
/// posted by the services are recorded in the database's events log and reach the `announcers` of whichever
/// process runs `deliverEvents()` (`clanbot run`, the tests).
public struct CompositionRoot: Sendable {
    /// What `clanbot run`, an operator command and a test may choose differently.
    public struct Options: Sendable {
        /// Hiscores requests per second shared by everything in the process.
        public var requestsPerSecond = ClanbotServices.defaultRequestsPerSecond
        /// Members of one batch fetched at a time.
        public var batchConcurrency = 4
        /// Where webhooks may post; nil: public addresses only, and loopback when CLANBOT_WEBHOOK_ALLOW_LOOPBACK=1.
        public var webhookURLPolicy: WebhookURLPolicy?
        public var webhookRetry = WebhookDelivery.RetryPolicy()
        public var contests = ContestService.Configuration()
        /// The contest service's clock (tests move it to a contest's end or its drand round).
        public var contestClock: @Sendable () -> Date = { Date() }
        /// The bot's own clock (cooldowns, freshness of what it shows).
        public var botClock: @Sendable () -> Date = { Date() }
        /// How often a clan may start a snapshot run, and a user a hiscores lookup.
        public var commandLimits = CommandLimits.standard
        /// The longest an interactive command waits on the hiscores before saying so.
        public var hiscoresPatience = BotEnvironment.defaultHiscoresPatience
        /// The shortest gap between two edits of a live Discord panel.
        public var editInterval: Duration = .seconds(1)
        /// Whose clock judges the identify buckets shared with other processes (tests: a `ManualClock`).
        public var identifyTime = IdentifyBuckets.Time.database
        /// How REST requests reach Discord; nil: HTTPS with libcurl.
        public var discordTransport: (any DiscordHTTPTransport)?
        public var log: @Sendable (String) -> Void = { _ in }

        public init() {}
    }

    /// Why the graph could not be built, in words an operator can act on.
    public enum Failure: Error, CustomStringConvertible {
        case database(path: String, any Error)
        case http(any Error)
        case discord(any Error)
        /// A setting that cannot be used as given (the message names it).
        case setting(String)

        public var description: String {
            switch self {
            case .database(let path, let error): "cannot open the database at \(path): \(error)"
            case .http(let error): "cannot set up the HTTP clients: \(error)"
            case .discord(let error): "cannot set up HTTPS to Discord: \(error)"
            case .setting(let message): message
            }
        }
    }

    public let configuration: Configuration
    public let store: Store
    public let services: ClanbotServices
    /// Where services post clan events.
    public let events: ClanEvents
    private let feed: ClanEventFeed
    /// Who hears the clan events: the clans' webhooks and, with a Discord token, their announcements channels.
    public let announcers: [any ClanEventSubscriber]
    /// Posts in the clans' announcements channels; nil without DISCORD_TOKEN. `clanbot run` also runs its
    /// periodic pass (posts left by a restart or an outage).
    public let channelAnnouncer: ChannelAnnouncer?
    /// The Discord REST client; nil without DISCORD_TOKEN (operator commands that never talk to Discord).
    public let discord: DiscordREST?
    /// Starts the batches contests are judged on (the contest loop of `clanbot run`).
    public let contestBoundaries: ContestBoundarySnapshots
    /// Shares Discord's identify buckets with the other processes on the database (`clanbot run`'s gateway).
    public let identifyCoordinator: any IdentifyCoordinator
    public let bot: BotEnvironment
    public let router: BotRouter

    /// Builds the graph, opening the database on the store's own thread (see `Store.init(path:) async`): what
    /// `clanbot run` and the operator commands use, so a PostgreSQL database is never opened on a cooperative thread.
    public static func open(_ configuration: Configuration, options: Options = Options()) async throws(Failure) -> CompositionRoot {
        let store: Store
        do {
            store = try await Store(path: configuration.databasePath)
        } catch {
            throw .database(path: SQLDialect.displayName(of: configuration.databasePath), error)
        }
        return try CompositionRoot(configuration, store: store, options: options)
    }

    /// Builds the graph, opening the database (when `store` is nil) on the calling thread.
    public init(_ configuration: Configuration, store openedStore: Store? = nil, options: Options = Options()) throws(Failure) {
        self.configuration = configuration
        let log = options.log
        var contestConfiguration = options.contests
        if configuration.drandPublicKey != nil {
            do {
                contestConfiguration.drandPublicKey = try configuration.resolvedDrandPublicKey()
            } catch {
                throw .setting(error.description)
            }
        }
        if let openedStore {
            store = openedStore
        } else {
            do {
                store = try Store(path: configuration.databasePath)
            } catch {
                throw .database(path: SQLDialect.displayName(of: configuration.databasePath), error)
            }
        }
        var webhookURLPolicy = WebhookURLPolicy()
        if let chosen = options.webhookURLPolicy {
            webhookURLPolicy = chosen
        } else {
            do throws(CommandLineError) {
                webhookURLPolicy.allowLoopback = try configuration.allowsLoopbackWebhooks
            } catch {
                throw .setting(error.description)
            }
        }
        let hiscoresHTTP: HTTPClient
        let outbound: HTTPClient
        let delivery: WebhookDelivery
        do {
            hiscoresHTTP = try HTTPClient(configuration: .init(caFile: configuration.sslCertFile,
                                                               maxConcurrentTransfers: max(1, options.batchConcurrency)))
            // Webhooks and drand get their own client: a slow receiver must not hold up hiscores fetches.
            outbound = try HTTPClient(configuration: .init(timeout: .seconds(15), caFile: configuration.sslCertFile))
            // Webhooks' own client refuses non-public addresses at connect time, which a local drand relay may need.
            delivery = try WebhookDelivery(client: .init(timeout: .seconds(15), caFile: configuration.sslCertFile),
                                           urlPolicy: webhookURLPolicy, policy: options.webhookRetry)
        } catch {
            throw .http(error)
        }
        // Events are rows of the database's events log: one posted here (or by a CLI command) is delivered by
        // whichever `clanbot run` claims it, once.
        let (events, feed) = ClanEvents.logged(store: store, log: log)
        self.events = events
        self.feed = feed

        let hiscores = HiscoresClient(http: hiscoresHTTP, rateLimiter: Hiscores.RateLimiter(requestsPerSecond: options.requestsPerSecond),
                                      configuration: .init(baseURL: configuration.hiscoresBase))
        let snapshots = SnapshotService(store: store, hiscores: hiscores, events: events)
        let batches = BatchSnapshotService(store: store, snapshotter: snapshots, concurrency: options.batchConcurrency, events: events)
        let webhooks = WebhookService(store: store, delivery: delivery)
        services = ClanbotServices(
            store: store, hiscores: hiscores, requestsPerSecond: options.requestsPerSecond,
            clans: ClanService(store: store, events: events), snapshots: snapshots, batches: batches,
            schedules: ScheduleService(store: store, batches: batches, events: events, log: log),
            stats: StatsService(store: store), leaderboards: LeaderboardService(store: store), achievements: AchievementService(store: store),
            records: RecordsService(store: store), clanHiscores: ClanHiscoresService(store: store),
            directory: BotDirectory(store: store, clock: options.botClock), webhooks: webhooks,
            contests: ContestService(store: store, http: outbound, drandBase: configuration.drandBase,
                                     configuration: contestConfiguration, clock: options.contestClock, events: events))
        contestBoundaries = ContestBoundarySnapshots(store: store, batches: batches, requestsPerSecond: options.requestsPerSecond)
        discord = try Self.discordREST(configuration, transport: options.discordTransport)
        identifyCoordinator = DatabaseIdentifyCoordinator(buckets: IdentifyBuckets(store: store, time: options.identifyTime))
        // The clans' announcements channels hear the same events as their webhooks (needs the bot's token).
        let announcements = services.announcements
        let contests = services.contests
        let channels = discord.map { ChannelAnnouncer(announcements: announcements, contests: contests, rest: $0, clock: options.botClock, log: log) }
        channelAnnouncer = channels
        announcers = [WebhookAnnouncer(webhooks: webhooks, store: store, log: log)] + (channels.map { [$0] } ?? [])
        bot = BotEnvironment(services: services, editInterval: options.editInterval, limits: options.commandLimits,
                             hiscoresPatience: options.hiscoresPatience, clock: options.botClock)
        router = BotRouter(environment: bot, log: log)
    }

    /// The Discord REST client over `transport` (nil: HTTPS with libcurl); nil without DISCORD_TOKEN.
    /// `register-commands` uses it alone: it needs no database.
    static func discordREST(_ configuration: Configuration, transport given: (any DiscordHTTPTransport)?) throws(Failure) -> DiscordREST? {
        guard let token = configuration.discordToken.map(bareToken), !token.isEmpty else { return nil }
        let transport: any DiscordHTTPTransport
        if let given {
            transport = given
        } else {
            do {
                transport = try HTTPClientTransport(caFile: configuration.sslCertFile)
            } catch {
                throw .discord(error)
            }
        }
        return DiscordREST(token: token, apiBase: configuration.discordAPIBase, transport: transport,
                           userAgent: DiscordREST.userAgent(version: CommandLineTool.version))
    }

    /// The first step of `clanbot run`, before the gateway and the loops: batches a stopped process left unfinished
    /// are resumed (recent ones) or closed with the reason, each logged, so none stays "running" forever.
    public func recoverInterruptedBatches(log: @Sendable (String) -> Void) async {
        do {
            for recovery in try await services.batches.recoverInterrupted() { log(recovery.logLine) }
        } catch {
            log("batch recovery: \(error)")
        }
    }

    /// Hands each clan event to every announcer until `events.finish()`.
    public func deliverEvents() async {
        await feed.deliver(to: announcers)
    }

    /// After a burst of commands (the interactions have gone quiet): the database's page cache and the heap the
    /// burst freed go back to the system, so resident memory returns near idle instead of staying at the peak.
    /// The services' in-process copies are bounded (`BoundedMemo`) and stay, so the next read is still warm.
    public func relieveMemory() async {
        await store.releaseMemory()
        ProcessMemory.returnFreedMemory()
    }

    /// Closes the database (after the work using it stopped).
    public func close() async {
        try? await store.close()
    }

    /// Accepts a token pasted with its "Bot " prefix.
    static func bareToken(_ token: String) -> String {
        token.hasPrefix("Bot ") ? String(token.dropFirst(4)) : token
    }
}
