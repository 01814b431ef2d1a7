import Domain
import Foundation
import Services

/// Everything the handlers call: the services the composition root built, and how often a live panel may be edited.
public struct BotEnvironment: Sendable {
    public let services: ClanbotServices
    let clock: @Sendable () -> Date
    /// The shortest gap between two edits of a live panel (Discord rate-limits message edits).
    let editInterval: Duration
    /// How often a clan may start a snapshot run, and a user a hiscores lookup.
    let limits: CommandLimits
    let cooldowns: CommandCooldowns
    /// The longest an interactive command waits on the hiscores before saying so.
    let hiscoresPatience: Duration
    public static let defaultHiscoresPatience = SnapshotService.interactivePatience

    public init(services: ClanbotServices, editInterval: Duration = .seconds(1), limits: CommandLimits = .standard,
                hiscoresPatience: Duration = BotEnvironment.defaultHiscoresPatience, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.services = services
        self.clock = clock
        self.editInterval = editInterval
        self.limits = limits
        self.hiscoresPatience = hiscoresPatience
        self.cooldowns = CommandCooldowns(clock: clock)
    }

    var clans: ClanService { services.clans }
    public var directory: BotDirectory { services.directory }
    public var webhooks: WebhookService { services.webhooks }
    public var contests: ContestService { services.contests }
}

extension BotDirectory: BotDirectoryReading {}
