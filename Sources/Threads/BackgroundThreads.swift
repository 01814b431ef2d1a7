import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Something that owns threads started with `BackgroundThreads` and can ask them to end: an HTTP transfer pool,
/// a database's thread, a WebSocket connection's I/O thread.
public protocol BackgroundThreadOwner: AnyObject, Sendable {
    /// Makes the owner's threads return soon (abandoning or cancelling their work); called once, at exit.
    func stopThreadsForExit()
}

/// Every thread clanbot starts for blocking work (HTTP transfers, SQLite, WebSocket I/O, backups), so that all of
/// them can be stopped and joined before the process exits. A thread still inside libcurl, OpenSSL or SQLite (or
/// only running OpenSSL's thread-exit handler) while `exit()` runs the libraries' cleanup crashes the process with
/// SIGSEGV, and a supervisor counts that as a failure.
///
/// Threads are joinable pthreads. One whose body returned records itself as finished; finished threads are
/// joined by the next thread started and by `stopAll`, so none is left unjoined.
public final class BackgroundThreads: @unchecked Sendable {
    // Safe: every stored var is only touched with `condition` locked.
    public static let shared = BackgroundThreads()

    private let condition = NSCondition()
    private var owners: [WeakOwner] = []
    /// Threads started whose body has not returned yet.
    private var running = 0
    /// Threads whose body returned, waiting to be joined.
    private var finished: [pthread_t] = []
    private var closed = false

    private struct WeakOwner {
        weak var owner: (any BackgroundThreadOwner)?
    }

    /// A registry of its own (tests); the process uses `shared`.
    public init() {}

    /// Remembers `owner` (weakly) so `stopAll` can ask its threads to end.
    public func register(_ owner: any BackgroundThreadOwner) {
        condition.lock()
        owners.removeAll { $0.owner == nil }
        owners.append(WeakOwner(owner: owner))
        condition.unlock()
    }

    /// Runs `body` on a new joinable thread named `name` (at most 15 bytes show in ps and /proc); false when
    /// `stopAll` has begun or the system refused a new thread.
    public func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        guard !closed else {
            condition.unlock()
            return false
        }
        running += 1
        condition.unlock()
        let context = Unmanaged.passRetained(ThreadBody(name: name, body: body, threads: self)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
            return false
        }
        return true
    }

    /// Threads started whose body has not returned yet (for tests and diagnostics).
    var runningCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// Refuses new threads, asks every owner to stop its threads, waits up to `timeout` for them to end and joins
    /// them. True when no thread is left running. Call it once, just before the process exits.
    @discardableResult
    public func stopAll(timeout: Duration) -> Bool {
        condition.lock()
        closed = true
        let live = owners.compactMap(\.owner)
        condition.unlock()
        for owner in live { owner.stopThreadsForExit() }

        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while running > 0, condition.wait(until: deadline) {}
        let allEnded = running == 0
        condition.unlock()
        reap()
        return allEnded
    }

    /// Joins the threads that have finished (each has already left its body, so this waits at most for its
    /// thread-exit handlers).
    func reap() {
        condition.lock()
        let done = finished
        finished.removeAll()
        condition.unlock()
        for thread in done { pthread_join(thread, nil) }
    }

    fileprivate func bodyReturned() {
        condition.lock()
        running -= 1
        finished.append(pthread_self())
        condition.broadcast()
        condition.unlock()
    }
}

/// The closure a new thread runs; retained across `pthread_create` and released by the thread.
private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void
    let threads: BackgroundThreads

    init(name: String, body: @escaping @Sendable () -> Void, threads: BackgroundThreads) {
        self.name = name
        self.body = body
        self.threads = threads
    }

    func run() {
        // Named from inside: Foundation sets the OS name when a thread names itself.
        Thread.current.name = name
        // Join whatever finished before this thread started, then work.
        threads.reap()
        body()
        threads.bodyReturned()
    }
}
