/// A Discord user, as far as clanbot needs one.
public struct User: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var username: String
    public var globalName: String?
    public var discriminator: String?
    public var avatar: String?
    public var bot: Bool?

    public init(id: Snowflake, username: String, globalName: String? = nil, discriminator: String? = nil, avatar: String? = nil, bot: Bool? = nil) {
        self.id = id
        self.username = username
        self.globalName = globalName
        self.discriminator = discriminator
        self.avatar = avatar
        self.bot = bot
    }

    /// The name people see: the display name if set, the username otherwise.
    public var displayName: String { globalName ?? username }

    enum CodingKeys: String, CodingKey {
        case id, username, discriminator, avatar, bot
        case globalName = "global_name"
    }
}

/// A guild member. In an interaction it carries `permissions`: the invoking member's permissions in the channel.
public struct GuildMember: Codable, Sendable, Equatable {
    public var user: User?
    public var nick: String?
    public var roles: [Snowflake]
    public var joinedAt: String?
    public var permissions: Permissions?

    public init(user: User? = nil, nick: String? = nil, roles: [Snowflake] = [], joinedAt: String? = nil, permissions: Permissions? = nil) {
        self.user = user
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
        self.permissions = permissions
    }

    enum CodingKeys: String, CodingKey {
        case user, nick, roles, permissions
        case joinedAt = "joined_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try container.decodeIfPresent(User.self, forKey: .user)
        nick = try container.decodeIfPresent(String.self, forKey: .nick)
        roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles) ?? []
        joinedAt = try container.decodeIfPresent(String.self, forKey: .joinedAt)
        permissions = try container.decodeIfPresent(Permissions.self, forKey: .permissions)
    }
}

/// A permission bit set, sent by Discord as a decimal string.
public struct Permissions: OptionSet, Codable, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    public static let banMembers = Permissions(rawValue: 1 << 2)
    static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    public static let manageEvents = Permissions(rawValue: 1 << 33)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = UInt64(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a permission bit set")
        }
        rawValue = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }

    /// Administrators hold every permission.
    public func allows(_ permission: Permissions) -> Bool {
        contains(.administrator) || contains(permission)
    }
}

public struct Role: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var name: String
    public var permissions: Permissions?
}

public struct PartialChannel: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var name: String?
    public var type: Int
}

public struct Attachment: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var filename: String
    public var url: String
    public var size: Int
    public var contentType: String?

    enum CodingKeys: String, CodingKey {
        case id, filename, url, size
        case contentType = "content_type"
    }
}

/// A message as Discord returns it from a create or edit; only what callers use is kept.
public struct Message: Codable, Sendable, Equatable {
    public var id: Snowflake
    public var channelID: Snowflake?
    public var content: String?
    var author: User?
    public var flags: Int?

    enum CodingKeys: String, CodingKey {
        case id, content, author, flags
        case channelID = "channel_id"
    }
}
