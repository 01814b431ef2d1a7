/// The answer to an interaction (POST /interactions/{id}/{token}/callback).
public struct InteractionResponse: Encodable, Sendable, Equatable {
    public enum Kind: Int, Sendable, Equatable {
        case pong = 1
        case channelMessage = 4
        case deferredChannelMessage = 5
        case deferredUpdateMessage = 6
        case updateMessage = 7
        case autocompleteResult = 8
    }

    public var kind: Kind
    var message: MessagePayload?
    var choices: [CommandChoice]?

    /// Type 4: reply with a message now.
    public static func message(_ message: MessagePayload) -> InteractionResponse {
        InteractionResponse(kind: .channelMessage, message: message)
    }

    /// Type 4 with text only.
    public static func message(_ content: String, ephemeral: Bool = false) -> InteractionResponse {
        .message(MessagePayload(content: content, ephemeral: ephemeral))
    }

    /// Type 5: "clanbot is thinking…"; edit the original response within 15 minutes.
    public static func deferred(ephemeral: Bool = false) -> InteractionResponse {
        var flagsOnly = MessagePayload(allowedMentions: nil)
        flagsOnly.flags = ephemeral ? .ephemeral : nil
        return InteractionResponse(kind: .deferredChannelMessage, message: ephemeral ? flagsOnly : nil)
    }

    /// Type 6 (components): acknowledge now, edit the message later.
    static let deferredUpdate = InteractionResponse(kind: .deferredUpdateMessage)

    /// Type 7 (components): replace the message the button was on.
    public static func updateMessage(_ message: MessagePayload) -> InteractionResponse {
        InteractionResponse(kind: .updateMessage, message: message)
    }

    /// Type 8: autocomplete suggestions (at most 25 are sent).
    public static func autocomplete(_ choices: [CommandChoice]) -> InteractionResponse {
        InteractionResponse(kind: .autocompleteResult, choices: Array(choices.prefix(CommandChoice.maximumChoices)))
    }

    public static let pong = InteractionResponse(kind: .pong)

    enum CodingKeys: String, CodingKey { case type, data }
    struct ChoicesData: Encodable { let choices: [CommandChoice] }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .type)
        if let choices {
            try container.encode(ChoicesData(choices: choices), forKey: .data)
        } else if let message {
            try container.encode(message, forKey: .data)
        }
    }
}

/// An autocomplete suggestion: a label (1–100 characters) and the value the option receives.
public struct CommandChoice: Encodable, Sendable, Equatable {
    public static let maximumChoices = 25
    public static let maximumNameLength = 100

    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case number(Double)
    }

    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        let trimmed = TextLimit.truncate(name, to: Self.maximumNameLength)
        self.name = trimmed.isEmpty ? "–" : trimmed
        if case .string(let text) = value {
            self.value = .string(TextLimit.truncate(text, to: Self.maximumNameLength))
        } else {
            self.value = value
        }
    }

    public init(_ name: String, _ value: String) { self.init(name: name, value: .string(value)) }

    enum CodingKeys: String, CodingKey { case name, value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        switch value {
        case .string(let text): try container.encode(text, forKey: .value)
        case .integer(let integer): try container.encode(integer, forKey: .value)
        case .number(let number): try container.encode(number, forKey: .value)
        }
    }
}
