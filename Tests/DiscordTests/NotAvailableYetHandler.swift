import Discord

/// A handler for the Discord layer's tests, which run without the bot: politely says commands are not available yet.
struct NotAvailableYetHandler: InteractionHandler {
    func handle(_ interaction: Interaction, responder: InteractionResponder) async {
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
