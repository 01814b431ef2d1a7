import Domain
@testable import Services
import Storage
import TestSupport

/// The clan events services post, delivered by a loop of their own as `clanbot run` delivers them.
/// Reading waits for `delivered()`, so a test sees every event posted before it asked, without sleeping;
/// `batchFinished(jobID:)` waits for a batch that is still running to close.
final class EventRecorder: Sendable {
    struct State {
        var received: [ClanEvent] = []
        var batchWaiters: [(jobID: String, waiter: CheckedContinuation<BatchRun, Never>)] = []
    }

    private struct Subscriber: ClanEventSubscriber {
        let state: LockedValue<State>
        func handle(_ event: ClanEvent) async {
            let ready = state.withLock { state in
                state.received.append(event)
                guard case .batchFinished(let run) = event else { return [(CheckedContinuation<BatchRun, Never>, BatchRun)]() }
                let matching = state.batchWaiters.filter { $0.jobID == run.jobID }.map { ($0.waiter, run) }
                state.batchWaiters.removeAll { $0.jobID == run.jobID }
                return matching
            }
            for (waiter, run) in ready { waiter.resume(returning: run) }
        }
    }

    let events: ClanEvents
    private let state = LockedValue(State())

    init() {
        let (events, feed) = ClanEvents.make()
        self.events = events
        let subscriber = Subscriber(state: state)
        Task { await feed.deliver(to: [subscriber]) }
    }

    deinit { events.finish() }

    /// Every event posted so far, in order.
    var all: [ClanEvent] {
        get async {
            await events.delivered()
            return state.value.received
        }
    }

    /// The closed batch `jobID`, as soon as its `.batchFinished` arrives (at once if it already did).
    func batchFinished(jobID: String) async -> BatchRun {
        await withCheckedContinuation { waiter in
            let closed: BatchRun? = state.withLock { state in
                for case .batchFinished(let run) in state.received where run.jobID == jobID { return run }
                state.batchWaiters.append((jobID, waiter))
                return nil
            }
            if let closed { waiter.resume(returning: closed) }
        }
    }

    var scheduleFailures: [ScheduleFailure] {
        get async { await all.compactMap { if case .scheduleFailed(let failure) = $0 { failure } else { nil } } }
    }

    var contestAnnouncements: [ContestAnnouncement] {
        get async { await all.compactMap { if case .contest(let announcement) = $0 { announcement } else { nil } } }
    }

    /// The contest steps by webhook event name ("cancelled" for a cancellation).
    var contestEvents: [String] {
        get async { await contestAnnouncements.map { $0.webhookEvent?.rawValue ?? "cancelled" } }
    }
}
