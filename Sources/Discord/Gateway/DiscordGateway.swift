/// All the shards of this process: asks `GET /gateway/bot` for the URL, the recommended shard count and the
/// identify budget, then runs one `GatewayShard` per shard (all of them, or the `--shards` slice) with one
/// shared identify queue (whose buckets `Options.identifyCoordinator` shares with other processes), until `stop()`
/// or until every shard has given up.
public actor DiscordGateway {
    public struct Options: Sendable {
        public var token: String
        public var intents: UInt64 = 0
        /// Nil runs every shard, as many as Discord recommends.
        public var shards: ShardSelection?
        public var compress = false
        public var backoff = Backoff()
        public var invalidSessionDelay: ClosedRange<Double> = 1...5
        /// Shares the identify buckets with the other processes of the bot (`clanbot run`: the database); nil keeps
        /// `max_concurrency` within this process only.
        public var identifyCoordinator: (any IdentifyCoordinator)?
        var identifyBucketInterval = IdentifyScheduler.defaultBucketInterval
        var identifyTiming = IdentifyQueue.Timing.system
        var helloTimeout: Duration = .seconds(20)

        public init(token: String, shards: ShardSelection? = nil) {
            self.token = token
            self.shards = shards
        }
    }

    private let options: Options
    private let rest: DiscordREST
    private let connector: any GatewayConnector
    private let onStatus: @Sendable (GatewayStatus) -> Void
    private let onDispatch: @Sendable (ShardID, GatewayDispatch) -> Void
    private var shards: [GatewayShard] = []
    private var stopRequested = false

    public init(
        options: Options, rest: DiscordREST, connector: any GatewayConnector,
        onStatus: @escaping @Sendable (GatewayStatus) -> Void,
        onDispatch: @escaping @Sendable (ShardID, GatewayDispatch) -> Void
    ) {
        self.options = options
        self.rest = rest
        self.connector = connector
        self.onStatus = onStatus
        self.onDispatch = onDispatch
    }

    /// Runs until stopped; returns how each shard ended. Throws when Discord refuses `GET /gateway/bot`
    /// (a bad token, say); while Discord is only unreachable it keeps trying.
    public func run() async throws(DiscordRESTError) -> [ShardID: GatewaySession.StopReason] {
        guard let info = try await fetchGatewayInfo() else { return [:] }
        let selection = options.shards ?? ShardSelection.all(count: info.shards)
        if options.shards != nil, info.shards > selection.count {
            onStatus(.warning(shard: nil, message: "Discord recommends \(info.shards) shards; running with \(selection.count) may be refused (4011)"))
        }
        let limit = info.sessionStartLimit
        let report = onStatus
        let queue = IdentifyQueue(
            limit: limit, bucketInterval: options.identifyBucketInterval, timing: options.identifyTiming,
            coordinator: options.identifyCoordinator, report: { message in report(.warning(shard: nil, message: message)) })
        if limit.remaining < selection.shards.count {
            onStatus(.warning(shard: nil, message: "only \(limit.remaining) session starts left today for \(selection.shards.count) shards; the rest wait for the reset in \(limit.resetAfter / 60_000) min"))
        }
        for shard in selection.shards {
            var configuration = GatewaySession.Configuration(
                token: options.token, intents: options.intents, shard: shard, gatewayURL: info.url,
                compress: options.compress, backoff: options.backoff, invalidSessionDelay: options.invalidSessionDelay
            )
            configuration.helloTimeout = options.helloTimeout
            let dispatch = onDispatch
            shards.append(GatewayShard(
                configuration: configuration, connector: connector, identifyQueue: queue,
                onStatus: report, onDispatch: { dispatch(shard, $0) }
            ))
        }
        if stopRequested { return [:] }
        let running = shards
        return await withTaskGroup(of: (ShardID, GatewaySession.StopReason).self) { group in
            for (shard, id) in zip(running, selection.shards) {
                group.addTask { (id, await shard.run()) }
            }
            var results: [ShardID: GatewaySession.StopReason] = [:]
            for await (id, reason) in group { results[id] = reason }
            return results
        }
    }

    /// `GET /gateway/bot`, retried with backoff through outages (5xx, network, rate limits); nil if stopped meanwhile.
    private func fetchGatewayInfo() async throws(DiscordRESTError) -> GatewayBotInfo? {
        var attempt = 0
        while !stopRequested {
            do {
                return try await rest.gatewayBot()
            } catch {
                switch error {
                case .api, .refused, .decoding, .encoding:
                    throw error
                case .transport, .server, .rateLimited:
                    let delay = options.backoff.delay(attempt: attempt, unit: Double.random(in: 0..<1))
                    attempt += 1
                    onStatus(.warning(shard: nil, message: "cannot get the gateway address (\(error)); trying again in \(GatewayStatus.seconds(delay))"))
                    try? await Task.sleep(for: delay)
                }
            }
        }
        return nil
    }

    /// Closes every shard with 1000; `run()` returns once they are closed.
    public func stop() async {
        stopRequested = true
        for shard in shards { await shard.stop() }
    }
}
