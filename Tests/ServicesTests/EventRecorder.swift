import Services
import TestSupport

/// The clan events services post, delivered by a loop of their own as `clanbot run` delivers them.
/// Reading waits for `delivered()`, so a test sees every event posted before it asked, without sleeping.
final class EventRecorder: Sendable {
    private struct Subscriber: ClanEventSubscriber {
        let received: LockedValue<[ClanEvent]>
        func handle(_ event: ClanEvent) async { received.withLock { $0.append(event) } }
    }

    let events: ClanEvents
    private let received = LockedValue<[ClanEvent]>([])

    init() {
        let (events, feed) = ClanEvents.make()
        self.events = events
        let subscriber = Subscriber(received: received)
        Task { await feed.deliver(to: [subscriber]) }
    }

    deinit { events.finish() }

    /// Every event posted so far, in order.
    var all: [ClanEvent] {
        get async {
            await events.delivered()
            return received.value
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
