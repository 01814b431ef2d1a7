/// INTERACTION_CREATE: a slash command, an autocomplete request, a button press or a modal submit.
public struct Interaction: Decodable, Sendable, Equatable {
    public var id: Snowflake
    public var applicationID: Snowflake
    public var type: InteractionType
    public var data: InteractionData?
    public var guildID: Snowflake?
    public var channelID: Snowflake?
    /// Set in guilds, with `permissions`.
    public var member: GuildMember?
    /// Set in DMs.
    public var user: User?
    /// Answers the interaction: valid 15 minutes, the first answer due within 3 seconds.
    public var token: String
    public var version: Int
    /// The message a component was attached to.
    public var message: Message?
    /// The bot's own permissions in the channel.
    var appPermissions: Permissions?
    public var locale: String?
    public var guildLocale: String?

    /// Who acted: the member's user in a guild, the user in a DM.
    public var invoker: User? { member?.user ?? user }

    public var command: ApplicationCommandData? {
        if case .command(let data)? = data { return data }
        return nil
    }

    public var component: ComponentData? {
        if case .component(let data)? = data { return data }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case id, type, data, member, user, token, version, message, locale
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
        case appPermissions = "app_permissions"
        case guildLocale = "guild_locale"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Snowflake.self, forKey: .id)
        applicationID = try container.decode(Snowflake.self, forKey: .applicationID)
        type = try container.decode(InteractionType.self, forKey: .type)
        token = try container.decode(String.self, forKey: .token)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guildID = try container.decodeIfPresent(Snowflake.self, forKey: .guildID)
        channelID = try container.decodeIfPresent(Snowflake.self, forKey: .channelID)
        member = try container.decodeIfPresent(GuildMember.self, forKey: .member)
        user = try container.decodeIfPresent(User.self, forKey: .user)
        message = try container.decodeIfPresent(Message.self, forKey: .message)
        appPermissions = try container.decodeIfPresent(Permissions.self, forKey: .appPermissions)
        locale = try container.decodeIfPresent(String.self, forKey: .locale)
        guildLocale = try container.decodeIfPresent(String.self, forKey: .guildLocale)
        switch type {
        case .applicationCommand, .autocomplete:
            data = try container.decodeIfPresent(ApplicationCommandData.self, forKey: .data).map { .command($0) }
        case .messageComponent:
            data = try container.decodeIfPresent(ComponentData.self, forKey: .data).map { .component($0) }
        case .modalSubmit:
            data = try container.decodeIfPresent(ModalSubmitData.self, forKey: .data).map { .modalSubmit($0) }
        case .ping, .unknown:
            data = nil
        }
    }
}

public enum InteractionType: Sendable, Equatable, Decodable {
    case ping
    case applicationCommand
    case messageComponent
    case autocomplete
    case modalSubmit
    case unknown(Int)

    public init(rawValue: Int) {
        switch rawValue {
        case 1: self = .ping
        case 2: self = .applicationCommand
        case 3: self = .messageComponent
        case 4: self = .autocomplete
        case 5: self = .modalSubmit
        default: self = .unknown(rawValue)
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(Int.self))
    }
}

public enum InteractionData: Sendable, Equatable {
    case command(ApplicationCommandData)
    case component(ComponentData)
    case modalSubmit(ModalSubmitData)
}

/// A button press or select menu choice.
public struct ComponentData: Decodable, Sendable, Equatable {
    public var customID: String
    /// 2 button, 3 string select, 5–8 user/role/mentionable/channel select.
    var componentType: Int
    /// The chosen values of a select menu.
    public var values: [String]

    enum CodingKeys: String, CodingKey {
        case values
        case customID = "custom_id"
        case componentType = "component_type"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customID = try container.decode(String.self, forKey: .customID)
        componentType = try container.decode(Int.self, forKey: .componentType)
        values = try container.decodeIfPresent([String].self, forKey: .values) ?? []
    }
}

/// A submitted modal: its custom id and the raw component tree (text inputs with their values).
public struct ModalSubmitData: Decodable, Sendable, Equatable {
    public var customID: String
    public var components: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case components
        case customID = "custom_id"
    }

    /// The value typed into the text input with `customID`, wherever it sits in the rows.
    public func value(of customID: String) -> String? {
        func search(_ value: JSONValue) -> String? {
            switch value {
            case .object(let object):
                if object["custom_id"]?.stringValue == customID, let text = object["value"]?.stringValue { return text }
                for child in object.values { if let found = search(child) { return found } }
            case .array(let array):
                for child in array { if let found = search(child) { return found } }
            default:
                break
            }
            return nil
        }
        return search(.array(components))
    }
}
