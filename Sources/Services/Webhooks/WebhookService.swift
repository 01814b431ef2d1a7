import Cryptography
import Domain
import Foundation
import Storage

/// A clan's webhooks: adding (with URL checks), listing with masked URLs, removing, test posts,
/// and publishing clan events to every webhook subscribed to them.
public struct WebhookService: Sendable {
    /// A webhook as shown to people: never the full URL, which is a secret.
    public struct Listing: Sendable, Equatable {
        public var id: Int64
        public var maskedURL: String
        public var provider: WebhookProviderKind
        public var events: [WebhookEvent]
        public var enabled: Bool
        public var lastStatusCode: Int?
        public var lastError: String?
        public var lastDeliveryAt: Date?
    }

    /// What `add` returns: the listing, and for custom webhooks the signing secret, shown this once.
    public struct Added: Sendable, Equatable {
        public var webhook: Listing
        public var signingSecret: String?
    }

    /// One webhook's delivery of one event.
    public struct Outcome: Sendable, Equatable {
        public var webhookID: Int64
        public var result: WebhookDeliveryResult
    }

    /// The most webhooks one clan may have: each event is posted to every one of them.
    public static let maximumPerClan = 10
    /// How many posts of one event run at once; the rest wait their turn.
    public static let deliveriesAtOnce = 3

    public let store: Store
    private let delivery: WebhookDelivery
    private let policy: WebhookURLPolicy
    private let clock: @Sendable () -> Date

    /// URLs are checked with the delivery's own policy, so what is accepted is what can be delivered.
    public init(store: Store, delivery: WebhookDelivery, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.delivery = delivery
        self.policy = delivery.urlPolicy
        self.clock = clock
    }

    /// Adds a webhook after checking its URL (https only) and its event list ("" or "all" = every event).
    public func add(clanID: Int64, url: String, provider: WebhookProviderKind, events: String = "") async throws -> Added {
        let checked: URL
        let subscribed: Set<WebhookEvent>
        do {
            checked = try policy.validate(url)
            subscribed = try WebhookEvent.parseList(events)
        } catch let rejection as WebhookURLPolicy.Rejection {
            throw ServiceError.invalidRequest(rejection.description)
        } catch {
            throw ServiceError.invalidRequest(String(describing: error))
        }
        // Custom receivers verify an HMAC signature; Discord and Slack URLs carry their own secret.
        let secret = provider == .custom ? try SecureRandom.bytes(32).hexString : nil
        let ordered = WebhookEvent.allCases.filter(subscribed.contains)
        let now = clock()
        let stored = try await store.write { db in
            let clan = try db.clans.get(id: clanID)
            guard try db.webhooks.list(clanID: clanID).count < Self.maximumPerClan else {
                throw ServiceError.invalidRequest(
                    "\(clan.name) already has \(Self.maximumPerClan) webhooks, the most a clan can have; remove one with /webhook remove first")
            }
            return try db.webhooks.add(clanID: clanID, url: checked.absoluteString, provider: provider, events: ordered, secret: secret, now: now)
        }
        return Added(webhook: Self.listing(stored), signingSecret: secret)
    }

    public func list(clanID: Int64) async throws -> [Listing] {
        try await store.read { db in try db.webhooks.list(clanID: clanID) }.map(Self.listing)
    }

    public func remove(id: Int64, clanID: Int64) async throws {
        try await store.write { db in try db.webhooks.delete(id: id, clanID: clanID) }
    }

    /// Posts a test message to one webhook and records how it went.
    public func sendTest(id: Int64, clanID: Int64, clanName: String) async throws -> Outcome {
        let hook = try await store.read { db in try db.webhooks.get(id: id, clanID: clanID) }
        let message = WebhookMessage(
            event: hook.events.first ?? .snapshotFinished, clanName: clanName, title: "Test post from clanbot",
            description: "This webhook works. It will receive: " + hook.events.map(\.rawValue).joined(separator: ", "),
            occurredAt: clock(), data: ["test": "true"])
        return try await deliver(message, to: hook)
    }

    /// Sends `message` to every enabled webhook of the clan subscribed to its event, `deliveriesAtOnce` at a
    /// time, and records each one's status. A failing endpoint never stops the others.
    @discardableResult
    public func publish(_ message: WebhookMessage, clanID: Int64) async throws -> [Outcome] {
        let hooks = try await store.read { db in try db.webhooks.subscribed(clanID: clanID, to: message.event) }
        let delivery = self.delivery
        let results = await withTaskGroup(of: Outcome.self) { group in
            var pending = hooks[...]
            var results: [Outcome] = []
            var running = 0
            while running > 0 || !pending.isEmpty {
                while running < Self.deliveriesAtOnce, let hook = pending.popFirst() {
                    group.addTask { Outcome(webhookID: hook.id, result: await delivery.deliver(message, to: Self.target(hook))) }
                    running += 1
                }
                if let outcome = await group.next() { results.append(outcome) }
                running -= 1
            }
            return results
        }
        let now = clock()
        try await store.write { db in
            for outcome in results {
                try db.webhooks.recordDelivery(id: outcome.webhookID, statusCode: outcome.result.statusCode, error: outcome.result.error, at: now)
            }
        }
        return results.sorted { $0.webhookID < $1.webhookID }
    }

    private func deliver(_ message: WebhookMessage, to hook: ClanWebhook) async throws -> Outcome {
        let result = await delivery.deliver(message, to: Self.target(hook))
        let now = clock()
        try await store.write { db in
            try db.webhooks.recordDelivery(id: hook.id, statusCode: result.statusCode, error: result.error, at: now)
        }
        return Outcome(webhookID: hook.id, result: result)
    }

    static func target(_ hook: ClanWebhook) -> WebhookTarget {
        WebhookTarget(id: hook.id, url: hook.url, provider: hook.provider, secret: hook.secret.map { Array($0.utf8) })
    }

    static func listing(_ hook: ClanWebhook) -> Listing {
        Listing(id: hook.id, maskedURL: WebhookURLPolicy.masked(hook.url), provider: hook.provider, events: hook.events,
                enabled: hook.enabled, lastStatusCode: hook.lastStatusCode, lastError: hook.lastError, lastDeliveryAt: hook.lastDeliveryAt)
    }
}
