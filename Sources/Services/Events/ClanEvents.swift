import Domain
import Foundation
import Storage

/// The clan events of a process: services post to `ClanEvents`, one delivery loop (`ClanEventFeed.deliver(to:)`)
/// hands each event to every subscriber. Posting never waits for a receiver, so a slow webhook never holds up a
/// command or a batch; nothing polls.
///
/// Two kinds, made once by their owner:
/// - `ClanEvents.logged(store:)` (the composition root, so `clanbot run` and every CLI command): each event is a row of
///   the database's events log, and the delivery loop of whichever process claims it delivers it (`ClanEventLog`,
///   `ClanEventDelivery`); an event outlives the process that posted it.
/// - `ClanEvents.make()`: an in-process `AsyncStream`, for service tests that record what was posted. Posts made
///   while nobody delivers are dropped with the feed.
public struct ClanEvents: Sendable {
    enum Item: Sendable {
        case event(ClanEvent)
        /// Resumed by the delivery loop once every item before it was delivered.
        case marker(CheckedContinuation<Void, Never>)
    }

    enum Backing: Sendable {
        case stream(AsyncStream<Item>.Continuation)
        case log(ClanEventLog)
    }

    let backing: Backing

    /// The posting side and the delivering side of a new in-process stream.
    public static func make() -> (ClanEvents, ClanEventFeed) {
        let (stream, continuation) = AsyncStream<Item>.makeStream()
        return (ClanEvents(backing: .stream(continuation)), ClanEventFeed(backing: .stream(stream)))
    }

    /// Events recorded in `store`'s events log and delivered by whichever process claims each; `clock` times the
    /// claims and the periodic catch-up pass, `log` gets a line for each event skipped or taken over.
    public static func logged(store: Store, clock: any WallClock = SystemWallClock(),
                              log: @escaping @Sendable (String) -> Void = { _ in }) -> (ClanEvents, ClanEventFeed) {
        logged(store: store, owner: ClanEventLog.newOwner(), clock: clock, timing: ClanEventLog.Timing(), log: log)
    }

    static func logged(store: Store, owner: String, clock: any WallClock, timing: ClanEventLog.Timing,
                       log: @escaping @Sendable (String) -> Void) -> (ClanEvents, ClanEventFeed) {
        let events = ClanEventLog(store: store, owner: owner, clock: clock, timing: timing, log: log)
        return (ClanEvents(backing: .log(events)), ClanEventFeed(backing: .log(events, FeedLifetime(events))))
    }

    /// Events that go nowhere: for a service used where nobody announces anything.
    public static var unobserved: ClanEvents { make().0 }

    /// Records `event` for the subscribers (in the log: once this returns, it outlives the process) and returns
    /// without waiting for any of them.
    public func post(_ event: ClanEvent) async {
        switch backing {
        case .stream(let continuation): continuation.yield(.event(event))
        case .log(let events): await events.record(event)
        }
    }

    /// Returns once every event posted here before this call reached every subscriber (or, logged, was delivered by
    /// any process); at once when nobody delivers. Tests and shutdown use it instead of waiting for a webhook to show up.
    func delivered() async {
        switch backing {
        case .stream(let continuation):
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                switch continuation.yield(.marker(waiter)) {
                case .enqueued: break
                case .dropped, .terminated: waiter.resume()
                @unknown default: waiter.resume()
                }
            }
        case .log(let events):
            await events.delivered()
        }
    }

    /// No more events: the delivery loop returns after delivering those already posted.
    public func finish() {
        switch backing {
        case .stream(let continuation): continuation.finish()
        case .log(let events): events.finish()
        }
    }
}

/// The reading side of `ClanEvents`; deliver it once.
public struct ClanEventFeed: Sendable {
    enum Backing: Sendable {
        case stream(AsyncStream<ClanEvents.Item>)
        case log(ClanEventLog, FeedLifetime)
    }

    let backing: Backing

    /// Hands each event to every subscriber (concurrently), one event after the other, until
    /// `ClanEvents.finish()`. End it with `finish()`, not by cancelling: a cancelled loop drops what is still queued
    /// (logged events stay in the log for the next loop).
    public func deliver(to subscribers: [any ClanEventSubscriber]) async {
        switch backing {
        case .stream(let stream):
            for await item in stream {
                switch item {
                case .event(let event):
                    await withTaskGroup(of: Void.self) { group in
                        for subscriber in subscribers {
                            group.addTask { await subscriber.handle(event) }
                        }
                    }
                case .marker(let waiter):
                    waiter.resume()
                }
            }
        case .log(let events, _):
            await ClanEventDelivery(events: events, subscribers: subscribers).run()
        }
    }
}

/// Lets `delivered()` callers go when a logged feed is dropped without ever being delivered (a CLI command's root).
final class FeedLifetime: Sendable {
    private let events: ClanEventLog

    init(_ events: ClanEventLog) { self.events = events }

    deinit { events.stop() }
}
