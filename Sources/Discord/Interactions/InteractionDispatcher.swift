import Foundation

/// Turns INTERACTION_CREATE dispatches into calls of the bot's `InteractionHandler`, each in its own task
/// so that a slow command never holds up the gateway (heartbeats, other interactions).
public struct InteractionDispatcher: Sendable {
    private let rest: DiscordREST
    private let handler: any InteractionHandler
    private let log: @Sendable (String) -> Void

    public init(rest: DiscordREST, handler: any InteractionHandler, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.rest = rest
        self.handler = handler
        self.log = log
    }

    public static let eventName = "INTERACTION_CREATE"

    /// Handles the dispatch if it is an interaction; returns the task doing so (nil for other events).
    @discardableResult
    public func dispatch(_ dispatch: GatewayDispatch) -> Task<Void, Never>? {
        guard dispatch.name == Self.eventName else { return nil }
        let interaction: Interaction
        do {
            interaction = try dispatch.decodeData(Interaction.self)
        } catch {
            log("skipped an interaction clanbot cannot read: \(error)")
            return nil
        }
        let responder = InteractionResponder(interaction: interaction, rest: rest)
        let handler = handler
        return Task { await handler.handle(interaction, responder: responder) }
    }
}
