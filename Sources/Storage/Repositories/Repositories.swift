import Domain

/// The repositories, reached from a `Database` inside `Store.read`/`Store.write`: the one way to query storage,
/// for rows (clans, contests) and for read models over many tables (member windows, batch runs) alike.
///
///     let clan = try await store.write { db in try db.clans.create(guildID: guild, name: "Iron Legion") }
extension Database {
    public var accounts: AccountRepository { AccountRepository(self) }
    public var snapshots: SnapshotRepository { SnapshotRepository(self) }
    public var clans: ClanRepository { ClanRepository(self) }
    public var members: MemberRepository { MemberRepository(self) }
    public var schedules: ScheduleRepository { ScheduleRepository(self) }
    public var webhooks: WebhookRepository { WebhookRepository(self) }
    public var discordLinks: DiscordLinkRepository { DiscordLinkRepository(self) }
    public var contests: ContestRepository { ContestRepository(self) }
    public var contestSeries: ContestSeriesRepository { ContestSeriesRepository(self) }
    public var achievements: AchievementRepository { AchievementRepository(self) }
    public var announcements: AnnouncementRepository { AnnouncementRepository(self) }
    public var batchRuns: BatchRunRepository { BatchRunRepository(self) }
    public var aggregateCache: AggregateCacheRepository { AggregateCacheRepository(self) }
    public var memberWindows: MemberWindowRepository { MemberWindowRepository(self) }
    public var latestRows: LatestRowRepository { LatestRowRepository(self) }
    public var metricHistory: MetricHistoryRepository { MetricHistoryRepository(self) }
    public var playerProfiles: PlayerProfileRepository { PlayerProfileRepository(self) }
    public var activity: ClanActivityRepository { ClanActivityRepository(self) }
    public var identifyBuckets: IdentifyBucketRepository { IdentifyBucketRepository(self) }
    public var clanEvents: ClanEventRepository { ClanEventRepository(self) }
}

// Domain enums bind as their stored text.
extension ClanRole: SQLColumnConvertible {}
extension AccountType: SQLColumnConvertible {}
extension ScheduleRunStatus: SQLColumnConvertible {}
extension WebhookProviderKind: SQLColumnConvertible {}

extension HiscoresBoard: SQLColumnConvertible {
    public var sqlValue: SQLValue { .text(key) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let key) = sqlValue, let board = HiscoresBoard(key: key) else { return nil }
        self = board
    }
}

extension SnapshotMode: SQLColumnConvertible {
    public var sqlValue: SQLValue { .text(key) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let key) = sqlValue, let mode = SnapshotMode(key: key) else { return nil }
        self = mode
    }
}
