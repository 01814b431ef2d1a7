import Domain
import Foundation
import Services

/// Everything the handlers call: the services of `ClanbotServices`, the bot's directory, the clan's
/// webhooks and the announcer that publishes clan events to them.
public struct BotEnvironment: Sendable {
    public let services: ClanbotServices
    public let directory: BotDirectory
    public let webhooks: WebhookService
    public let announcer: BotAnnouncer
    /// Nil until contests are configured: `/contest` then says so.
    public let contests: ContestService?
    let clock: @Sendable () -> Date
    /// The shortest gap between two edits of a live panel (Discord rate-limits message edits).
    let editInterval: Duration
    /// How often a clan may start a snapshot run, and a user a hiscores lookup.
    let limits: CommandLimits
    let cooldowns: CommandCooldowns
    /// The longest an interactive command waits on the hiscores before saying so.
    let hiscoresPatience: Duration
    public static let defaultHiscoresPatience = SnapshotService.interactivePatience

    public init(services: ClanbotServices, webhooks: WebhookService, contests: ContestService? = nil, editInterval: Duration = .seconds(1),
                limits: CommandLimits = .standard, hiscoresPatience: Duration = BotEnvironment.defaultHiscoresPatience, clock: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.services = services
        self.directory = BotDirectory(store: services.store, clock: clock)
        self.webhooks = webhooks
        self.contests = contests
        self.announcer = BotAnnouncer(webhooks: webhooks, batches: services.batches, store: services.store, log: log)
        self.clock = clock
        self.editInterval = editInterval
        self.limits = limits
        self.hiscoresPatience = hiscoresPatience
        self.cooldowns = CommandCooldowns(clock: clock)
    }

    var clans: ClanService { services.clans }

    /// Sends the contest service's announcements (commitment, entries digest, draw) to the clans' webhooks.
    public func connectAnnouncements() async {
        await contests?.setAnnouncer(announcer.contestAnnouncer)
    }
}

extension BotDirectory: BotDirectoryReading {}
