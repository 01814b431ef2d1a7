import Domain
import Foundation
import Hiscores
import Storage
import Transport

/// Every service over one database and one hiscores client, wired the same way for the bot's
/// command handlers, the scheduler of `clanbot run` and the operator subcommands.
public struct ClanbotServices: Sendable {
    public let store: Store
    public let hiscores: HiscoresClient
    public let clans: ClanService
    public let snapshots: SnapshotService
    public let batches: BatchSnapshotService
    public let schedules: ScheduleService
    public let stats: StatsService
    public let leaderboards: LeaderboardService
    public let achievements: AchievementService
    public let records: RecordsService

    /// Hiscores requests per second shared by everything in the process; the game's servers are
    /// shared with every player, so stay polite.
    public static let defaultRequestsPerSecond: Double = 2

    public init(store: Store, hiscores: HiscoresClient, batchConcurrency: Int = 4,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.hiscores = hiscores
        clans = ClanService(store: store)
        snapshots = SnapshotService(store: store, hiscores: hiscores)
        batches = BatchSnapshotService(store: store, snapshotter: snapshots, concurrency: batchConcurrency)
        schedules = ScheduleService(store: store, batches: batches, log: log)
        stats = StatsService(store: store)
        leaderboards = LeaderboardService(store: store)
        achievements = AchievementService(store: store)
        records = RecordsService(store: store)
    }

    /// Opens the database (applying migrations) and an HTTP client for the hiscores at `hiscoresBase`.
    public static func open(databasePath: String, hiscoresBase: String, caFile: String? = nil,
                            requestsPerSecond: Double = defaultRequestsPerSecond, batchConcurrency: Int = 4,
                            log: @escaping @Sendable (String) -> Void = { _ in }) throws -> ClanbotServices {
        let store = try Store(path: databasePath)
        let http = try HTTPClient(configuration: .init(caFile: caFile, maxConcurrentTransfers: max(1, batchConcurrency)))
        let hiscores = HiscoresClient(http: http, rateLimiter: RateLimiter(requestsPerSecond: requestsPerSecond),
                                      configuration: .init(baseURL: hiscoresBase))
        return ClanbotServices(store: store, hiscores: hiscores, batchConcurrency: batchConcurrency, log: log)
    }
}
