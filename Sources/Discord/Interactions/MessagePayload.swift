/// The body of a message clanbot sends: an interaction reply, an edit of the original response, a follow-up.
/// Built within Discord's limits: content is cut to 2000 characters, at most 10 embeds within 6000
/// characters together, at most 5 rows of buttons, at most 10 files (sent as multipart/form-data, see `MessageAttachment`).
public struct MessagePayload: Encodable, Sendable, Equatable {
    public static let maximumContentLength = 2000
    public static let maximumEmbeds = 10

    public private(set) var content: String?
    public private(set) var embeds: [Embed]?
    public private(set) var components: [ActionRow]?
    public var flags: MessageFlags?
    public var allowedMentions: AllowedMentions?
    /// Files to upload with the message; listed in the JSON as `attachments` (id = index), their bytes sent apart.
    public private(set) var files: [MessageAttachment]

    /// Embeds beyond what one message may carry are dropped; use `EmbedBuilder.messages()` to page instead.
    public init(
        content: String? = nil, embeds: [Embed]? = nil, components: [ActionRow]? = nil,
        ephemeral: Bool = false, allowedMentions: AllowedMentions? = .nobody, files: [MessageAttachment] = []
    ) {
        self.files = Array(files.prefix(MessageAttachment.maximumPerMessage))
        self.content = content.map { TextLimit.truncate($0, to: Self.maximumContentLength) }
        self.embeds = embeds.map(Embed.fittingOneMessage)
        self.components = components.map { Array($0.prefix(ActionRow.maximumRowsPerMessage)) }
        self.flags = ephemeral ? .ephemeral : nil
        self.allowedMentions = allowedMentions
    }

    public var isEphemeral: Bool { flags?.contains(.ephemeral) ?? false }

    enum CodingKeys: String, CodingKey {
        case content, embeds, components, flags, attachments
        case allowedMentions = "allowed_mentions"
    }

    /// How the JSON names an uploaded file: its index in `files[n]`, its filename, its alt text.
    struct AttachmentReference: Encodable {
        let id: Int
        let filename: String
        let description: String?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(content, forKey: .content)
        try container.encodeIfPresent(embeds, forKey: .embeds)
        try container.encodeIfPresent(components, forKey: .components)
        try container.encodeIfPresent(flags, forKey: .flags)
        try container.encodeIfPresent(allowedMentions, forKey: .allowedMentions)
        if !files.isEmpty {
            let references = files.enumerated().map { AttachmentReference(id: $0.offset, filename: $0.element.filename, description: $0.element.description) }
            try container.encode(references, forKey: .attachments)
        }
    }
}

public struct MessageFlags: OptionSet, Encodable, Sendable, Equatable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Only the user who invoked the interaction sees the message.
    public static let ephemeral = MessageFlags(rawValue: 1 << 6)
    public static let suppressEmbeds = MessageFlags(rawValue: 1 << 2)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Which mentions in the content actually ping. The default pings nobody: a leaderboard that names
/// fifty members should not notify fifty people.
public struct AllowedMentions: Encodable, Sendable, Equatable {
    public var parse: [String]
    public var users: [Snowflake]?
    public var roles: [Snowflake]?

    public init(parse: [String] = [], users: [Snowflake]? = nil, roles: [Snowflake]? = nil) {
        self.parse = parse
        self.users = users
        self.roles = roles
    }

    public static let nobody = AllowedMentions()
    public static func only(users: [Snowflake]) -> AllowedMentions { AllowedMentions(users: users) }

    enum CodingKeys: String, CodingKey { case parse, users, roles }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parse, forKey: .parse)
        try container.encodeIfPresent(users, forKey: .users)
        try container.encodeIfPresent(roles, forKey: .roles)
    }
}
