/// The `data` of a slash command (or autocomplete) interaction.
public struct ApplicationCommandData: Decodable, Sendable, Equatable {
    public var id: Snowflake
    public var name: String
    /// 1 chat input (slash), 2 user context menu, 3 message context menu.
    public var type: Int
    public var options: [CommandOption]
    public var resolved: ResolvedData?
    public var guildID: Snowflake?
    /// The user or message a context menu command targets.
    public var targetID: Snowflake?

    enum CodingKeys: String, CodingKey {
        case id, name, type, options, resolved
        case guildID = "guild_id"
        case targetID = "target_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Snowflake.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decodeIfPresent(Int.self, forKey: .type) ?? 1
        options = try container.decodeIfPresent([CommandOption].self, forKey: .options) ?? []
        resolved = try container.decodeIfPresent(ResolvedData.self, forKey: .resolved)
        guildID = try container.decodeIfPresent(Snowflake.self, forKey: .guildID)
        targetID = try container.decodeIfPresent(Snowflake.self, forKey: .targetID)
    }

    /// The command as typed, e.g. `["contest", "draw"]` for `/contest draw`, or `["clan", "member", "add"]`
    /// with a subcommand group.
    public var path: [String] {
        var names = [name]
        var level = options
        while let nested = level.first, nested.type == .subcommand || nested.type == .subcommandGroup {
            names.append(nested.name)
            level = nested.options
        }
        return names
    }

    /// The options of the innermost subcommand (or of the command itself when it has none).
    public var arguments: [CommandOption] {
        var level = options
        while let nested = level.first, nested.type == .subcommand || nested.type == .subcommandGroup {
            level = nested.options
        }
        return level
    }

    public func argument(_ name: String) -> CommandOption? { arguments.first { $0.name == name } }

    /// The option the user is typing in, for autocomplete.
    public var focused: CommandOption? { arguments.first { $0.focused } }

    public func string(_ name: String) -> String? { argument(name)?.value?.string }
    public func integer(_ name: String) -> Int64? { argument(name)?.value?.integer }
    public func number(_ name: String) -> Double? { argument(name)?.value?.number }
    public func boolean(_ name: String) -> Bool? { argument(name)?.value?.boolean }
    public func snowflake(_ name: String) -> Snowflake? { argument(name)?.value?.snowflake }

    /// The user picked in a user (or mentionable) option, from `resolved`.
    public func user(_ name: String) -> User? { snowflake(name).flatMap { resolved?.users[$0] } }
    public func role(_ name: String) -> Role? { snowflake(name).flatMap { resolved?.roles[$0] } }
    public func channel(_ name: String) -> PartialChannel? { snowflake(name).flatMap { resolved?.channels[$0] } }
    public func attachment(_ name: String) -> Attachment? { snowflake(name).flatMap { resolved?.attachments[$0] } }
}

/// Application command option types 1–11.
public enum CommandOptionType: Int, Sendable, Codable, CaseIterable {
    case subcommand = 1
    case subcommandGroup = 2
    case string = 3
    case integer = 4
    case boolean = 5
    case user = 6
    case channel = 7
    case role = 8
    case mentionable = 9
    case number = 10
    case attachment = 11
}

/// One option as received: a subcommand (group) with nested options, or a value.
public struct CommandOption: Decodable, Sendable, Equatable {
    public var name: String
    public var type: CommandOptionType
    public var value: CommandOptionValue?
    public var options: [CommandOption]
    /// True for the option being typed in an autocomplete interaction (its value is then the partial text).
    public var focused: Bool

    public init(name: String, type: CommandOptionType, value: CommandOptionValue? = nil, options: [CommandOption] = [], focused: Bool = false) {
        self.name = name
        self.type = type
        self.value = value
        self.options = options
        self.focused = focused
    }

    enum CodingKeys: String, CodingKey { case name, type, value, options, focused }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        let rawType = try container.decode(Int.self, forKey: .type)
        guard let type = CommandOptionType(rawValue: rawType) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown option type \(rawType)")
        }
        self.type = type
        options = try container.decodeIfPresent([CommandOption].self, forKey: .options) ?? []
        focused = try container.decodeIfPresent(Bool.self, forKey: .focused) ?? false
        value = try Self.decodeValue(type: type, container: container, focused: focused)
    }

    private static func decodeValue(
        type: CommandOptionType, container: KeyedDecodingContainer<CodingKeys>, focused: Bool
    ) throws -> CommandOptionValue? {
        guard container.contains(.value) else { return nil }
        // Autocomplete sends what the user has typed so far as a string, whatever the option's type (Discord
        // validates only on submit). Keep such text as text, reading it as a number where the type asks for one.
        if let text = try? container.decode(String.self, forKey: .value) {
            switch type {
            case .integer where !focused: if let integer = Int64(text) { return .integer(integer) }
            case .number where !focused: if let number = Double(text) { return .number(number) }
            case .user, .channel, .role, .mentionable, .attachment: if let id = Snowflake(text) { return .snowflake(id) }
            default: break
            }
            return .string(text)
        }
        switch type {
        case .subcommand, .subcommandGroup:
            return nil
        case .string:
            return .string(try container.decode(String.self, forKey: .value))
        case .integer:
            if let integer = try? container.decode(Int64.self, forKey: .value) { return .integer(integer) }
            let number = try container.decode(Double.self, forKey: .value)
            guard number.rounded() == number, abs(number) < 9.0e18 else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "\(number) is not an integer")
            }
            return .integer(Int64(number))
        case .number:
            return .number(try container.decode(Double.self, forKey: .value))
        case .boolean:
            return .boolean(try container.decode(Bool.self, forKey: .value))
        case .user, .channel, .role, .mentionable, .attachment:
            return .snowflake(try container.decode(Snowflake.self, forKey: .value))
        }
    }
}

public enum CommandOptionValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    case snowflake(Snowflake)

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Numbers, and integers widened.
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var boolean: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var snowflake: Snowflake? {
        if case .snowflake(let value) = self { return value }
        return nil
    }
}

/// Users, members, roles, channels and attachments named by the options, keyed by id.
public struct ResolvedData: Decodable, Sendable, Equatable {
    public var users: [Snowflake: User]
    public var members: [Snowflake: GuildMember]
    public var roles: [Snowflake: Role]
    public var channels: [Snowflake: PartialChannel]
    public var attachments: [Snowflake: Attachment]

    enum CodingKeys: String, CodingKey { case users, members, roles, channels, attachments }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try Self.map(container, .users)
        members = try Self.map(container, .members)
        roles = try Self.map(container, .roles)
        channels = try Self.map(container, .channels)
        attachments = try Self.map(container, .attachments)
    }

    /// JSON object keys are strings; turn them into snowflakes, skipping any that are not.
    private static func map<T: Decodable>(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Snowflake: T] {
        guard let raw = try container.decodeIfPresent([String: T].self, forKey: key) else { return [:] }
        var result: [Snowflake: T] = [:]
        for (id, value) in raw {
            if let snowflake = Snowflake(id) { result[snowflake] = value }
        }
        return result
    }
}
