import CCurl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every HTTP transfer thread in the process, so that all of them can be stopped and joined before the
/// process exits. A thread still inside libcurl or OpenSSL (or merely running OpenSSL's thread-exit
/// handler) while `exit()` runs the libraries' cleanup crashes the process with SIGSEGV, and a supervisor
/// counts that as a failure.
///
/// Threads are joinable pthreads. One that ends (idle, or its pool stopped) records itself as finished;
/// finished threads are joined by the next thread started and by `stopAll`, so none is left unjoined.
final class TransferThreads: @unchecked Sendable {
    // Safe: every stored var is only touched with `condition` locked.
    static let shared = TransferThreads()

    private let condition = NSCondition()
    private var pools: [Weak] = []
    /// Threads started whose body has not returned yet.
    private var running = 0
    /// Threads whose body returned, waiting to be joined.
    private var finished: [pthread_t] = []
    private var closed = false

    private struct Weak {
        weak var pool: CurlWorkerPool?
    }

    func register(_ pool: CurlWorkerPool) {
        condition.lock()
        pools.removeAll { $0.pool == nil }
        pools.append(Weak(pool: pool))
        condition.unlock()
    }

    /// Runs `body` on a new joinable thread; false when `stopAll` has begun or no thread could be made.
    func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        guard !closed else {
            condition.unlock()
            return false
        }
        running += 1
        condition.unlock()
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
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

    /// Stops every pool (refusing new work and cancelling running transfers), waits up to `timeout` for their
    /// threads to end and joins them. True when no transfer thread is left running.
    func stopAll(timeout: Duration) -> Bool {
        condition.lock()
        closed = true
        let live = pools.compactMap(\.pool)
        condition.unlock()
        for pool in live { pool.stop(cancelling: true) }

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
        let last = running == 0
        finished.append(pthread_self())
        condition.broadcast()
        condition.unlock()
        // A burst is over: hand the memory its transfers freed back to the system. Without this glibc keeps
        // the freed pages of every thread's arena mapped, and resident memory stays at the burst's peak.
        if last { clanbot_malloc_trim() }
    }

    /// Names the calling thread as the OS shows it (ps, top, /proc/PID/task/*/comm; at most 15 bytes on
    /// Linux). Foundation sets the OS name when a thread names itself.
    static func setCurrentName(_ name: String) {
        Thread.current.name = name
    }
}

/// The closure a new thread runs; retained across `pthread_create` and released by the thread.
private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func run() {
        // Join whatever finished before this thread started, then work.
        TransferThreads.shared.reap()
        body()
        TransferThreads.shared.bodyReturned()
    }
}
