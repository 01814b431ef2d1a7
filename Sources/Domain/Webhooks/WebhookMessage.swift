import Foundation

/// What a webhook post says, independent of where it goes. Rendered per provider by `WebhookRenderer`.
public struct WebhookMessage: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        /// The text; for a time field, its ISO 8601 form (what custom receivers get).
        public var value: String
        public var inline: Bool
        /// Set for a field that is a moment: Discord and Slack show it in each reader's own time zone.
        public var time: Date?

        public init(name: String, value: String, inline: Bool = false) {
            self.name = name
            self.value = value
            self.inline = inline
        }

        /// A moment, shown in each reader's own time zone where the provider can.
        public init(name: String, time: Date, inline: Bool = false) {
            self.init(name: name, value: ISO8601Time.string(time), inline: inline)
            self.time = time
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
