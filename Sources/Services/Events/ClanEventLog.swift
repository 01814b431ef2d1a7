import Domain
import Foundation
import Storage
import Synchronization

/// The durable side of `ClanEvents` (issue 15): each posted event is a row of the events log (`db.clanEvents`), and
/// each process's delivery loop (`ClanEventDelivery`) claims rows, delivers them to its announcers and marks them.
/// An event posted by a process that stops before delivering it, or by a one-shot CLI command, is delivered by the
/// next process that runs the loop; with several processes each event is delivered by exactly one of them.
///
/// An event is recorded right after the write that produced it, in a transaction of its own, not inside that
/// write: posting stays one call each service makes once its work is done, whatever shape its transaction has
/// (several are `ContestService`'s typed-error wrappers, a batch closes in its own helper), and an event can be
/// encoded only once the values it carries exist. What that leaves is a process stopping in the instant between
/// the two commits, the same window an in-memory post had before its delivery; the contest steps, batch closes and
/// activity rows the event points at are committed either way, and the announcement channel re-reads the clan's
/// recorded activity from its cursors on every pass.
final class ClanEventLog: Sendable {
    struct Timing: Sendable {
        /// How long a claim protects an event from other processes. Longer than any delivery takes: a webhook gets four
        /// attempts of ten seconds with backoffs in between, and a clan may have several; the channel announcer waits on
        /// Discord's rate limits. A claim older than this belongs to a process that stopped, and another one takes it over.
        var claimTimeout: Duration = .seconds(600)
        /// How often the loop looks for events nothing woke it for (another process's on SQLite, a claim that expired).
        var catchUpInterval: Duration = .seconds(60)
        /// An event first claimed later than this after it was posted is not delivered: news a day late is noise (events a
        /// CLI recorded while no `clanbot run` ran for weeks, say).
        var maximumAge: Duration = .seconds(86_400)
        /// An event claimed this many times was never marked delivered: its delivery likely stops the process. Skipped.
        var maximumAttempts = 3
        /// How long the LISTEN connection waits before connecting again after it dropped.
        var reconnectAfter: Duration = .seconds(2)
        /// Finished events are kept this long (for looking into a delivery), then deleted by the catch-up pass.
        var keepFinished: Duration = .seconds(7 * 86_400)
    }

    private struct State {
        /// The newest event this poster recorded.
        var lastPosted: Int64 = 0
        /// `delivered()` callers: each waits until no event of this poster up to `upTo` is open.
        var waiters: [(upTo: Int64, waiter: CheckedContinuation<Void, Never>)] = []
        /// The delivery loop ended after `finish()`, or its feed went away undelivered: nobody will resolve waiters.
        var stopped = false
        var finished = false
        /// Periodic catch-up passes run so far (tests prove a NOTIFY, not a pass, woke the loop).
        var passes = 0
        /// NOTIFYs heard on the LISTEN connection, and whether it listens (with who waits for that).
        var notifications = 0
        var listening = false
        var listeningWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let store: Store
    /// This `ClanEvents`: the log's `posted_by` and `claimed_by` (one per composition root, unique across processes).
    let owner: String
    let clock: any WallClock
    let timing: Timing
    let log: @Sendable (String) -> Void
    let signal = WakeSignal()
    private let state = Mutex(State())

    init(store: Store, owner: String, clock: any WallClock, timing: Timing, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.owner = owner
        self.clock = clock
        self.timing = timing
        self.log = log
    }

    /// A new owner name: this process (host/pid) plus a random part, so two roots in one process are told apart.
    static func newOwner() -> String {
        BatchSnapshotService.processOwner + "/events-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    /// Whether `owner` (a `newOwner()` name) is a process of this machine that no longer exists.
    static func isDeadLocalProcess(_ owner: String) -> Bool {
        guard let slash = owner.lastIndex(of: "/"), owner[owner.index(after: slash)...].hasPrefix("events-") else { return false }
        return BatchSnapshotService.isDeadLocalProcess(String(owner[..<slash]))
    }

    /// Records `event` in the log and wakes this process's loop (PostgreSQL's NOTIFY wakes every process's).
    func record(_ event: ClanEvent) async {
        let clanID = event.clanID
        let kind = event.name
        let payload = ClanEventPayload.encode(event)
        let owner = owner
        let now = clock.date
        do {
            let id = try await store.write { db in try db.clanEvents.record(clanID: clanID, kind: kind, payload: payload, postedBy: owner, now: now) }
            state.withLock { $0.lastPosted = max($0.lastPosted, id) }
            signal.poke()
        } catch {
            log("clan events: could not record \(kind) for clan #\(clanID), so it is not announced: \(error)")
        }
    }

    /// Returns once every event recorded here before the call is delivered or skipped, by whichever process (at once
    /// when the loop has stopped).
    func delivered() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.stopped || state.lastPosted == 0 { return true }
                state.waiters.append((state.lastPosted, waiter))
                return false
            }
            if done { waiter.resume() } else { signal.poke() }
        }
    }

    /// Resumes the waiters whose events are all finished: `oldestOpen` is this poster's oldest open event (nil: none).
    func resolveWaiters(oldestOpen: Int64?) {
        let isDone = { (upTo: Int64) in oldestOpen.map { $0 > upTo } ?? true }
        let ready = state.withLock { state in
            let ready = state.waiters.filter { isDone($0.upTo) }
            state.waiters.removeAll { isDone($0.upTo) }
            return ready
        }
        for entry in ready { entry.waiter.resume() }
    }

    /// No more deliveries: later `delivered()` calls return at once, and those waiting now are let go.
    func stop() {
        let waiting = state.withLock { state in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for entry in waiting { entry.waiter.resume() }
    }

    /// Asks the loop to deliver what it can and return.
    func finish() {
        state.withLock { $0.finished = true }
        signal.poke()
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    func countPass() {
        state.withLock { $0.passes += 1 }
    }

    /// Periodic catch-up passes run so far.
    var passes: Int { state.withLock { $0.passes } }

    /// Notes what the LISTEN connection said.
    func heard(_ wakeUp: DatabaseWakeUp) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            switch wakeUp {
            case .notified:
                state.notifications += 1
                return []
            case .listening:
                state.listening = true
                defer { state.listeningWaiters = [] }
                return state.listeningWaiters
            }
        }
        for waiter in waiters { waiter.resume() }
    }

    /// NOTIFYs heard so far.
    var notifications: Int { state.withLock { $0.notifications } }

    /// Returns once the LISTEN connection listens (PostgreSQL; never on SQLite).
    func listening() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.listening { return true }
                state.listeningWaiters.append(waiter)
                return false
            }
            if ready { waiter.resume() }
        }
    }
}
