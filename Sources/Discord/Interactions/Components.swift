/// A row of up to five buttons (component type 1). A message holds up to five rows.
public struct ActionRow: Encodable, Sendable, Equatable {
    public static let maximumButtons = 5
    public static let maximumRowsPerMessage = 5

    public private(set) var buttons: [Button]

    /// Keeps the first five buttons: Discord rejects a sixth.
    public init(_ buttons: [Button]) {
        self.buttons = Array(buttons.prefix(Self.maximumButtons))
    }

    enum CodingKeys: String, CodingKey { case type, components }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .type)
        try container.encode(buttons, forKey: .components)
    }
}

/// A button (component type 2): either it sends an interaction with its `custom_id`, or (link style) opens a URL.
public struct Button: Encodable, Sendable, Equatable {
    public enum Style: Int, Sendable, Equatable {
        case primary = 1, secondary = 2, success = 3, danger = 4, link = 5
    }

    public static let maximumLabelLength = 80
    static let maximumCustomIDLength = 100

    public var style: Style
    public var label: String?
    public var customID: String?
    public var url: String?
    public var emoji: String?
    public var disabled: Bool

    /// A button that sends an interaction. A custom id over 100 characters cannot be shortened without
    /// breaking the handler that parses it, so it is refused here (nil) rather than sent and rejected.
    public init?(_ label: String, customID: String, style: Style = .secondary, emoji: String? = nil, disabled: Bool = false) {
        guard style != .link, !customID.isEmpty, customID.count <= Self.maximumCustomIDLength else { return nil }
        self.style = style
        self.label = TextLimit.truncate(label, to: Self.maximumLabelLength)
        self.customID = customID
        self.url = nil
        self.emoji = emoji
        self.disabled = disabled
    }

    /// A link button.
    public init(_ label: String, url: String) {
        self.style = .link
        self.label = TextLimit.truncate(label, to: Self.maximumLabelLength)
        self.customID = nil
        self.url = url
        self.emoji = nil
        self.disabled = false
    }

    enum CodingKeys: String, CodingKey { case type, style, label, url, emoji, disabled, customID = "custom_id" }
    struct Emoji: Encodable { let name: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(2, forKey: .type)
        try container.encode(style.rawValue, forKey: .style)
        try container.encodeIfPresent(label, forKey: .label)
        try container.encodeIfPresent(customID, forKey: .customID)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(emoji.map(Emoji.init(name:)), forKey: .emoji)
        if disabled { try container.encode(true, forKey: .disabled) }
    }
}
