/// What the bot layer implements: one call per INTERACTION_CREATE. Answer through `responder` — at once,
/// or after `responder.deferReply()` for anything that may take more than a moment (3-second deadline).
public protocol InteractionHandler: Sendable {
    func handle(_ interaction: Interaction, responder: InteractionResponder) async
}

/// The stand-in until the bot layer lands: politely says commands are not available yet.
public struct NotAvailableYetHandler: InteractionHandler {
    public init() {}

    public func handle(_ interaction: Interaction, responder: InteractionResponder) async {
        switch interaction.type {
        case .autocomplete:
            try? await responder.autocomplete([])
        case .ping:
            try? await responder.respond(.pong)
        default:
            try? await responder.reply(MessagePayload(
                content: "Sorry, this command is not available yet: clanbot is still being set up. Please try again later.",
                ephemeral: true
            ))
        }
    }
}
