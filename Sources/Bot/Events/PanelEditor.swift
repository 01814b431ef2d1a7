import Discord
import Foundation

/// Edits a live message (the deferred reply of a batch) as progress comes in, at most once per
/// `interval`: a batch of 500 members must not become 500 edits. Progress never waits for Discord;
/// the final state is always sent, after any edit still in flight.
/// An actor: the last edit's time, the edit in flight and the closed flag change with every progress report.
actor PanelEditor {
    private let interval: Duration
    private let send: @Sendable (MessagePayload) async -> Void
    private let clock = ContinuousClock()
    private var lastEdit: ContinuousClock.Instant?
    private var inFlight: Task<Void, Never>?
    private var closed = false
    /// How many edits went out (tests check the throttle through it).
    private(set) var edits = 0

    init(interval: Duration, send: @escaping @Sendable (MessagePayload) async -> Void) {
        self.interval = interval
        self.send = send
    }

    /// Renders and sends a progress edit unless one went out less than `interval` ago or is still going.
    func progress(_ render: @escaping @Sendable () async -> MessagePayload?) {
        guard !closed, inFlight == nil else { return }
        let now = clock.now
        if let lastEdit, now - lastEdit < interval { return }
        lastEdit = now
        edits += 1
        let send = send
        inFlight = Task {
            if let payload = await render() { await send(payload) }
            self.editFinished()
        }
    }

    private func editFinished() { inFlight = nil }

    /// Sends the final state; later progress is ignored.
    func finish(_ payload: MessagePayload) async {
        closed = true
        await inFlight?.value
        edits += 1
        await send(payload)
    }
}
