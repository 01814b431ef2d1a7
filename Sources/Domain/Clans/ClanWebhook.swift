import Foundation

/// A stored outgoing webhook of a clan. The URL and secret are secrets: show `WebhookURLPolicy`'s mask, never these.
public struct ClanWebhook: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var clanID: Int64
    public var url: String
    public var provider: WebhookProviderKind
    public var events: [WebhookEvent]
    /// Key for the HMAC-SHA256 signature of each delivery (custom receivers verify it).
    public var secret: String?
    public var enabled: Bool
    public var lastStatusCode: Int?
    public var lastError: String?
    public var lastDeliveryAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, clanID: Int64, url: String, provider: WebhookProviderKind, events: [WebhookEvent], secret: String? = nil,
        enabled: Bool = true, lastStatusCode: Int? = nil, lastError: String? = nil, lastDeliveryAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.clanID = clanID
        self.url = url
        self.provider = provider
        self.events = events
        self.secret = secret
        self.enabled = enabled
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.lastDeliveryAt = lastDeliveryAt
        self.createdAt = createdAt
    }
}
