/// What the bot layer implements: one call per INTERACTION_CREATE. Answer through `responder` — at once,
/// or after `responder.deferReply()` for anything that may take more than a moment (3-second deadline).
public protocol InteractionHandler: Sendable {
    func handle(_ interaction: Interaction, responder: InteractionResponder) async
}
