import Foundation

/// What a webhook post says, independent of where it goes. Rendered per provider by `WebhookRenderer`.
public struct WebhookMessage: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public var inline: Bool

        public init(name: String, value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    public var event: WebhookEvent
    public var clanName: String
    public var title: String
    public var description: String
    public var fields: [Field]
    public var occurredAt: Date
    /// Machine-readable details for custom receivers (ids, digests, counts). Strings only, so the JSON stays flat and stable.
    public var data: [String: String]

    public init(
        event: WebhookEvent, clanName: String, title: String, description: String,
        fields: [Field] = [], occurredAt: Date, data: [String: String] = [:]
    ) {
        self.event = event
        self.clanName = clanName
        self.title = title
        self.description = description
        self.fields = fields
        self.occurredAt = occurredAt
        self.data = data
    }
}
