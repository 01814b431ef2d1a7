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
    let clock: @Sendable () -> Date
    /// The shortest gap between two edits of a live panel (Discord rate-limits message edits).
    let editInterval: Duration

    public init(services: ClanbotServices, webhooks: WebhookService, editInterval: Duration = .seconds(1),
                clock: @escaping @Sendable () -> Date = { Date() }, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.services = services
        self.directory = BotDirectory(store: services.store, clock: clock)
        self.webhooks = webhooks
        self.announcer = BotAnnouncer(webhooks: webhooks, batches: services.batches, store: services.store, log: log)
        self.clock = clock
        self.editInterval = editInterval
    }

    var clans: ClanService { services.clans }
}

extension BotDirectory: BotDirectoryReading {}
