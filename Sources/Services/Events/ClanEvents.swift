/// The clan events of one process: an `AsyncStream` that services post to (`ClanEvents`) and one delivery
/// loop reads (`ClanEventFeed.deliver(to:)`), fanning each event out to every subscriber. Posting never waits
/// for a receiver, so a slow webhook never holds up a command or a batch; nothing polls.
///
/// Made once by the composition root: `let (events, feed) = ClanEvents.make()`. Posts made while nobody
/// delivers (a one-shot CLI command) are simply dropped with the feed.
public struct ClanEvents: Sendable {
    enum Item: Sendable {
        case event(ClanEvent)
        /// Resumed by the delivery loop once every item before it was delivered.
        case marker(CheckedContinuation<Void, Never>)
    }

    let continuation: AsyncStream<Item>.Continuation

    /// The posting side and the delivering side of a new stream.
    public static func make() -> (ClanEvents, ClanEventFeed) {
        let (stream, continuation) = AsyncStream<Item>.makeStream()
        return (ClanEvents(continuation: continuation), ClanEventFeed(stream: stream))
    }

    /// Events that go nowhere: for a service used where nobody announces anything.
    public static var unobserved: ClanEvents { make().0 }

    /// Queues `event` for the subscribers and returns at once.
    public func post(_ event: ClanEvent) {
        continuation.yield(.event(event))
    }

    /// Returns once every event posted before this call reached every subscriber (at once when nobody
    /// delivers). Tests and shutdown use it instead of waiting for a webhook to show up.
    func delivered() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            switch continuation.yield(.marker(waiter)) {
            case .enqueued: break
            case .dropped, .terminated: waiter.resume()
            @unknown default: waiter.resume()
            }
        }
    }

    /// No more events: the delivery loop returns after delivering those already posted.
    public func finish() {
        continuation.finish()
    }
}

/// The reading side of `ClanEvents`; deliver it once.
public struct ClanEventFeed: Sendable {
    let stream: AsyncStream<ClanEvents.Item>

    /// Hands each event to every subscriber (concurrently), one event after the other, until
    /// `ClanEvents.finish()`. End it with `finish()`, not by cancelling: a cancelled loop drops what is still queued.
    public func deliver(to subscribers: [any ClanEventSubscriber]) async {
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
    }
}
