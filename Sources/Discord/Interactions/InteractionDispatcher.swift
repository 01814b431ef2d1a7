import Foundation

/// Turns INTERACTION_CREATE dispatches into calls of the bot's `InteractionHandler`, each in its own task
/// so that a slow command never holds up the gateway (heartbeats, other interactions).
public struct InteractionDispatcher: Sendable {
    private let rest: DiscordREST
    private let handler: any InteractionHandler
    private let log: @Sendable (String) -> Void
    private let inFlight = InFlightCounter()

    public init(rest: DiscordREST, handler: any InteractionHandler, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.rest = rest
        self.handler = handler
        self.log = log
    }

    /// Waits (at most `timeout`) for handlers still answering, so a shutdown does not cut a reply off.
    /// Returns how many were still running when it gave up.
    public func drain(timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await inFlight.count == 0 { return 0 }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return await inFlight.count
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
        let inFlight = inFlight
        return Task {
            await inFlight.add(1)
            await handler.handle(interaction, responder: responder)
            await inFlight.add(-1)
        }
    }
}

/// How many handlers are running.
actor InFlightCounter {
    private(set) var count = 0
    func add(_ delta: Int) { count += delta }
}
