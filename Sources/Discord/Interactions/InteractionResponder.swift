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
    /// How the interaction was deferred, if it was: what `failPrivately` must clean up depends on it.
    private var deferral: Deferral?

    private enum Deferral {
        /// Type 5 without the ephemeral flag: everyone in the channel sees "clanbot is thinking…".
        case publicThinking
        /// Type 5 with the ephemeral flag: only the invoker sees it.
        case privateThinking
        /// Type 6: nothing shown; the original is the message the button sits on.
        case update
    }

    public init(interaction: Interaction, rest: DiscordREST) {
        self.interaction = interaction
        self.rest = rest
    }

    /// Sends any first response as is (type 1, 4–8).
    public func respond(_ response: InteractionResponse) async throws(DiscordRESTError) {
        // Claim the first answer before awaiting, so a concurrent deferral cannot
        // send a second one; give it back if Discord did not take it.
        stage = response.kind == .deferredChannelMessage || response.kind == .deferredUpdateMessage ? .deferred : .replied
        deferral = switch response.kind {
        case .deferredChannelMessage: response.message?.isEphemeral == true ? .privateThinking : .publicThinking
        case .deferredUpdateMessage: .update
        default: nil
        }
        do {
            try await rest.respond(to: interaction.id, token: interaction.token, with: response)
        } catch {
            stage = .pending
            deferral = nil
            throw error
        }
    }

    /// Shows "thinking…" and buys 15 minutes. Does nothing if an answer went out already.
    public func deferReply(ephemeral: Bool = false) async throws(DiscordRESTError) {
        guard stage == .pending else { return }
        try await respond(.deferred(ephemeral: ephemeral))
    }

    /// For a button: acknowledge without changing the message yet.
    func deferUpdate() async throws(DiscordRESTError) {
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

    /// Tells only the invoker that something went wrong, whatever has been sent so far:
    /// - nothing yet: an ephemeral reply (type 4, flags 64);
    /// - a public "thinking…": deletes it (`DELETE …/messages/@original`), then an ephemeral follow-up. The delete
    ///   comes first because Discord gives the first follow-up after a deferral the deferral's visibility;
    /// - a private "thinking…": edits it (only the invoker sees it anyway);
    /// - a deferred button press (type 6) or an answer already sent: an ephemeral follow-up, leaving the message alone.
    /// If the public "thinking…" cannot be deleted, it is edited to `failedPubliclyNote` instead, the follow-up is still
    /// sent, and the delete's error is thrown after it.
    static let failedPubliclyNote = "⚠️ This did not work; the reason was sent privately to whoever asked."

    public func failPrivately(_ text: String) async throws(DiscordRESTError) {
        let message = MessagePayload(content: text, ephemeral: true)
        switch (stage, deferral) {
        case (.pending, _):
            try await respond(.message(message))
        case (.deferred, .privateThinking?):
            try await reply(message)
        case (.deferred, .publicThinking?):
            var deleteError: DiscordRESTError?
            do {
                try await rest.deleteOriginalResponse(application: interaction.applicationID, token: interaction.token)
            } catch {
                deleteError = error
                // Settle the public message with a neutral line, so the follow-up below is not taken for it.
                _ = try? await rest.editOriginalResponse(application: interaction.applicationID, token: interaction.token,
                                                         MessagePayload(content: Self.failedPubliclyNote))
            }
            try await followUp(message)
            stage = .replied
            if let deleteError { throw deleteError }
        case (.deferred, _), (.replied, _):
            try await followUp(message)
            stage = .replied
        }
    }

    public func followUp(_ message: MessagePayload) async throws(DiscordRESTError) {
        try await rest.createFollowUp(application: interaction.applicationID, token: interaction.token, message)
    }
}
