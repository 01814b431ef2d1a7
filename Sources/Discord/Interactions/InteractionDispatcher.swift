import Foundation

/// Turns INTERACTION_CREATE dispatches into calls of the bot's `InteractionHandler`, each in its own task
/// so that a slow command never holds up the gateway (heartbeats, other interactions).
///
/// Dispatches, handler ends and drain requests go through one `AsyncStream` read by one loop, which keeps the
/// count of running handlers: a drain asked for after a dispatch always counts that handler (the stream keeps
/// their order), and it is answered the moment the count reaches zero or its deadline passes, without polling.
///
/// When the last handler has ended and no interaction has come for `quietAfter`, `onQuiet` runs once: the end of a
/// burst, when the caller hands back what the burst left cached (the database's page cache, freed heap).
public final class InteractionDispatcher: Sendable {
    private enum Item: Sendable {
        case interaction(Interaction, InteractionResponder)
        case handled
        case drain(id: Int, timeout: Duration, CheckedContinuation<Int, Never>)
        case deadline(id: Int)
        /// The task waiting in `drain` was cancelled (may arrive before its `.drain`).
        case stopWaiting(id: Int)
        /// `quietAfter` has passed since the handlers last ran out, when `interactions` had been dispatched.
        case quietCheck(interactions: Int)
    }

    /// What the loop does at the end of a burst.
    private struct Quiet: Sendable {
        let after: Duration
        let action: @Sendable () async -> Void
    }

    private let rest: DiscordREST
    private let log: @Sendable (String) -> Void
    private let inbox: AsyncStream<Item>.Continuation

    public init(rest: DiscordREST, handler: any InteractionHandler, log: @escaping @Sendable (String) -> Void = { _ in },
                quietAfter: Duration = .seconds(10), onQuiet: (@Sendable () async -> Void)? = nil) {
        self.rest = rest
        self.log = log
        let (items, inbox) = AsyncStream<Item>.makeStream()
        self.inbox = inbox
        let quiet = onQuiet.map { Quiet(after: quietAfter, action: $0) }
        Task { await Self.serve(items, inbox: inbox, handler: handler, quiet: quiet) }
    }

    deinit { inbox.finish() }

    public static let eventName = "INTERACTION_CREATE"

    /// Hands the dispatch to the handler if it is an interaction clanbot can read; false for other events.
    @discardableResult
    public func dispatch(_ dispatch: GatewayDispatch) -> Bool {
        guard dispatch.name == Self.eventName else { return false }
        let interaction: Interaction
        do {
            interaction = try dispatch.decodeData(Interaction.self)
        } catch {
            log("skipped an interaction clanbot cannot read: \(error)")
            return false
        }
        inbox.yield(.interaction(interaction, InteractionResponder(interaction: interaction, rest: rest)))
        return true
    }

    /// Waits (at most `timeout`, or until the calling task is cancelled) for every handler dispatched before this
    /// call, so a shutdown does not cut a reply off. Returns how many were still running when it gave up.
    public func drain(timeout: Duration) async -> Int {
        let id = Int.random(in: 0 ... .max)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                inbox.yield(.drain(id: id, timeout: timeout, waiter))
            }
        } onCancel: {
            inbox.yield(.stopWaiting(id: id))
        }
    }

    /// The one loop that owns the count of running handlers.
    private static func serve(_ items: AsyncStream<Item>, inbox: AsyncStream<Item>.Continuation, handler: any InteractionHandler,
                              quiet: Quiet?) async {
        var running = 0
        var drains: [Int: CheckedContinuation<Int, Never>] = [:]
        var stoppedEarly: Set<Int> = []
        // Interactions dispatched so far, and whether a quiet check is on its way (one at a time).
        var dispatched = 0
        var quietCheckPending = false
        func checkQuiet(after delay: Duration) {
            guard !quietCheckPending else { return }
            quietCheckPending = true
            let seen = dispatched
            Task {
                try? await Task.sleep(for: delay)
                inbox.yield(.quietCheck(interactions: seen))
            }
        }
        for await item in items {
            switch item {
            case .interaction(let interaction, let responder):
                running += 1
                dispatched += 1
                Task {
                    await handler.handle(interaction, responder: responder)
                    inbox.yield(.handled)
                }
            case .handled:
                running -= 1
                if running == 0 {
                    for waiter in drains.values { waiter.resume(returning: 0) }
                    drains = [:]
                    if let quiet { checkQuiet(after: quiet.after) }
                }
            case .quietCheck(let seen):
                quietCheckPending = false
                guard let quiet, running == 0 else { break }  // still busy: the next time the count reaches zero asks again
                if seen == dispatched {
                    Task { await quiet.action() }
                } else {
                    checkQuiet(after: quiet.after)  // more came and went since: quiet only once they have been gone as long
                }
            case .drain(let id, let timeout, let waiter):
                if running == 0 || stoppedEarly.remove(id) != nil {
                    waiter.resume(returning: running)
                } else {
                    drains[id] = waiter
                    Task {
                        try? await Task.sleep(for: timeout)
                        inbox.yield(.deadline(id: id))
                    }
                }
            case .deadline(let id):
                drains.removeValue(forKey: id)?.resume(returning: running)
            case .stopWaiting(let id):
                if let waiter = drains.removeValue(forKey: id) {
                    waiter.resume(returning: running)
                } else {
                    stoppedEarly.insert(id)
                }
            }
        }
        for waiter in drains.values { waiter.resume(returning: running) }
    }
}
