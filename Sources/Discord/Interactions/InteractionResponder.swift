/// Answers one interaction and remembers how far it got, so callers need not track Discord's rules:
/// the first `reply` is the callback (type 4); after `deferReply` it edits the original response; after
/// that, further replies are follow-ups.
public actor InteractionResponder {
    public enum Stage: Sendable, Equatable {
        case pending
        case deferred
        case replied
    }

    public let interaction: Interaction
    private let rest: DiscordREST
    public private(set) var stage: Stage = .pending

    public init(interaction: Interaction, rest: DiscordREST) {
        self.interaction = interaction
        self.rest = rest
    }

    /// Sends any first response as is (type 1, 4–8).
    public func respond(_ response: InteractionResponse) async throws(DiscordRESTError) {
        try await rest.respond(to: interaction.id, token: interaction.token, with: response)
        switch response.kind {
        case .deferredChannelMessage, .deferredUpdateMessage: stage = .deferred
        default: stage = .replied
        }
    }

    /// Shows "thinking…" and buys 15 minutes. Does nothing if an answer went out already.
    public func deferReply(ephemeral: Bool = false) async throws(DiscordRESTError) {
        guard stage == .pending else { return }
        try await respond(.deferred(ephemeral: ephemeral))
    }

    /// For a button: acknowledge without changing the message yet.
    public func deferUpdate() async throws(DiscordRESTError) {
        guard stage == .pending else { return }
        try await respond(.deferredUpdate)
    }

    /// Replies: the first answer, the edit of a deferred one, or a follow-up.
    /// (A deferred reply keeps the ephemeral choice made when deferring.)
    public func reply(_ message: MessagePayload) async throws(DiscordRESTError) {
        switch stage {
        case .pending:
            try await respond(.message(message))
        case .deferred:
            try await rest.editOriginalResponse(application: interaction.applicationID, token: interaction.token, message)
            stage = .replied
        case .replied:
            try await rest.createFollowUp(application: interaction.applicationID, token: interaction.token, message)
        }
    }

    public func reply(_ content: String, ephemeral: Bool = false) async throws(DiscordRESTError) {
        try await reply(MessagePayload(content: content, ephemeral: ephemeral))
    }

    /// For a button: replace the message it sits on.
    public func updateMessage(_ message: MessagePayload) async throws(DiscordRESTError) {
        switch stage {
        case .pending:
            try await respond(.updateMessage(message))
        case .deferred, .replied:
            try await rest.editOriginalResponse(application: interaction.applicationID, token: interaction.token, message)
            stage = .replied
        }
    }

    public func autocomplete(_ choices: [CommandChoice]) async throws(DiscordRESTError) {
        try await respond(.autocomplete(choices))
    }

    public func followUp(_ message: MessagePayload) async throws(DiscordRESTError) {
        try await rest.createFollowUp(application: interaction.applicationID, token: interaction.token, message)
    }
}
