import Domain
import Foundation
import Hiscores
import Storage

/// Every service of one process over one database and one hiscores client, as the composition root
/// (`CompositionRoot` in ClanbotCLI) built them: what the bot's handlers, the loops of `clanbot run` and the
/// operator subcommands call.
public struct ClanbotServices: Sendable {
    public let store: Store
    public let hiscores: HiscoresClient
    /// The hiscores rate the client was built with (the contest loop sizes its boundary batches on it).
    public let requestsPerSecond: Double
    public let clans: ClanService
    public let snapshots: SnapshotService
    public let batches: BatchSnapshotService
    public let schedules: ScheduleService
    public let stats: StatsService
    public let leaderboards: LeaderboardService
    public let achievements: AchievementService
    public let records: RecordsService
    public let clanHiscores: ClanHiscoresService
    /// Discord users linked to clan accounts.
    public let directory: BotDirectory
    public let webhooks: WebhookService
    public let contests: ContestService

    /// The clans' announcements channels and their outbox (stateless over the store).
    public var announcements: AnnouncementService { AnnouncementService(store: store) }

    /// Hiscores requests per second shared by everything in the process; the game's servers are
    /// shared with every player, so stay polite.
    public static let defaultRequestsPerSecond: Double = 2

    public init(store: Store, hiscores: HiscoresClient, requestsPerSecond: Double, clans: ClanService, snapshots: SnapshotService,
                batches: BatchSnapshotService, schedules: ScheduleService, stats: StatsService, leaderboards: LeaderboardService,
                achievements: AchievementService, records: RecordsService, clanHiscores: ClanHiscoresService, directory: BotDirectory, webhooks: WebhookService, contests: ContestService) {
        self.store = store
        self.hiscores = hiscores
        self.requestsPerSecond = requestsPerSecond
        self.clans = clans
        self.snapshots = snapshots
        self.batches = batches
        self.schedules = schedules
        self.stats = stats
        self.leaderboards = leaderboards
        self.achievements = achievements
        self.records = records
        self.clanHiscores = clanHiscores
        self.directory = directory
        self.webhooks = webhooks
        self.contests = contests
    }
}
