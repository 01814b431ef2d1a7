import Foundation
import Synchronization
import Threads

/// Runs blocking `curl_easy_perform` calls on dedicated threads, never on Swift's cooperative pool.
///
/// Threads are started only when work arrives and no thread is free, up to `maxThreads`, and a thread
/// that has had nothing to do for `idleTimeout` exits: an idle bot keeps no parked transfer threads.
/// Easy handles live in a LIFO stack shared by the threads (and outliving them): each handle keeps its
/// own connection cache, and taking the most recently returned handle means back-to-back requests to one
/// host reuse the same kept-alive connection.
///
/// Threads are joinable pthreads accounted for in `BackgroundThreads`, so the process can stop and join
/// every one of them before it exits. When the last one ends (idle), the pool keeps one handle (`idleHandles`)
/// and frees the others, and the heap pages freed since are handed back to the system.
final class CurlWorkerPool: BackgroundThreadOwner, @unchecked Sendable {
    // Safe: every stored var is only touched with `condition` locked; a CurlEasy taken from `handles`
    // is used by exactly one thread until it is pushed back.
    /// Performs the work with a handle (nil when none could be made) and returns how to deliver the result.
    /// The pool delivers only after the handle is back on the stack: the caller's next request, which may
    /// start while this thread is still winding down, then finds the handle and its kept-alive connection.
    typealias Job = (CurlEasy?) -> Delivery
    typealias Delivery = () -> Void

    /// The pool's figures at one moment: threads alive, threads waiting for work, handles kept.
    struct Counts: Sendable, Equatable {
        var live: Int
        var waiting: Int
        var keptHandles: Int
    }

    private struct Queued {
        let cancel: CancellationFlag?
        let run: Job
    }

    private let condition = NSCondition()
    private let maxThreads: Int
    private let idleTimeout: TimeInterval
    private let name: String
    private var jobs: [Queued] = []
    private var jobHead = 0
    private var handles: [CurlEasy] = []
    /// The cancellation flags of the jobs being performed, so `stop(cancelling:)` can abort them.
    private var inFlight: [ObjectIdentifier: CancellationFlag] = [:]
    private var stopping = false
    /// Threads alive, and how many of them are waiting for a job.
    private var threads = 0
    private var waiting = 0
    /// Told the new figures after each change (outside the lock, so two threads' reports may cross): tests await
    /// the moment a thread starts, waits or exits instead of polling.
    private let observer: (@Sendable (Counts) -> Void)?

    init(maxThreads: Int, idleTimeout: Duration = .seconds(30), name: String, observer: (@Sendable (Counts) -> Void)? = nil) {
        self.observer = observer
        self.maxThreads = max(1, maxThreads)
        self.idleTimeout = max(0.01, Double(idleTimeout.components.seconds) + Double(idleTimeout.components.attoseconds) / 1e18)
        self.name = name
        BackgroundThreads.shared.register(self)
    }

    /// The figures now (for tests and diagnostics).
    var counts: Counts {
        condition.lock()
        defer { condition.unlock() }
        return countsLocked()
    }

    /// Queues `job`; false when the pool is shut down (the job will not run). `cancel` is set when the
    /// pool is stopped with `stop(cancelling: true)`, so a transfer watching it ends early.
    func submit(cancel: CancellationFlag? = nil, _ job: @escaping Job) -> Bool {
        condition.lock()
        var changed: Counts?
        defer {
            condition.unlock()
            changed.map { observer?($0) }
        }
        guard !stopping else { return false }
        jobs.append(Queued(cancel: cancel, run: job))
        // A waiting thread takes the job; start another only when queued jobs outnumber the waiters
        // (a signalled waiter still counts until it wakes, so a burst starts enough threads).
        if jobs.count - jobHead > waiting, threads < maxThreads {
            if startThread(index: threads + 1) {
                threads += 1
                changed = countsLocked()
            } else if threads == 0 {
                // No thread exists to take it (the system refused one, or the process is exiting): refuse the
                // job now rather than queue it where nothing will ever run it and its caller waits forever.
                jobs.removeLast()
                return false
            }
        }
        condition.signal()
        return true
    }

    /// Stops the threads once the queued jobs are done; the handles are freed with the pool.
    func shutdown() { stop(cancelling: false) }

    /// At exit: queued and running transfers are cancelled, so the threads end within about a second.
    func stopThreadsForExit() { stop(cancelling: true) }

    /// Refuses new work and lets the threads exit; with `cancelling`, queued and running transfers are
    /// cancelled first, so the threads exit within about a second (curl checks its progress callback).
    func stop(cancelling: Bool) {
        condition.lock()
        stopping = true
        if cancelling {
            for job in jobs[jobHead...] { job.cancel?.cancel() }
            for flag in inFlight.values { flag.cancel() }
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Starts a joinable thread; false (and nothing started) when the process is stopping its transfer threads
    /// or the system refuses a new thread, in which case the waiting threads take the job.
    private func startThread(index: Int) -> Bool {
        BackgroundThreads.shared.start(name: "\(name)-\(index)") { [self] in
            run()
        }
    }

    private func run() {
        while let job = next() {
            let easy = takeHandle()
            let deliver = job.run(easy)
            if let easy { giveBack(easy) }
            if let flag = job.cancel { finished(flag) }
            deliver()
        }
        // The pool's last thread ended: a burst is over. Without this the burst's handles stay (one per thread, each
        // with its connection, TLS state and parsed CA store: about 0.4 MB) and glibc keeps the freed pages of the
        // arenas mapped, and resident memory stays at the burst's peak.
        if releaseSpareHandles() { ProcessMemory.returnFreedMemory() }
    }

    /// Handles an idle pool keeps: the most recently used, whose kept-alive connection the next request may reuse.
    static let idleHandles = 1

    /// Frees all but `idleHandles` handles when no thread is left; true when none is.
    private func releaseSpareHandles() -> Bool {
        condition.lock()
        guard threads == 0 else {
            condition.unlock()
            return false
        }
        // LIFO: the most recently returned handle is the last one.
        let spare = handles.count > Self.idleHandles ? Array(handles.dropLast(Self.idleHandles)) : []
        if !spare.isEmpty { handles.removeFirst(spare.count) }
        let counts = countsLocked()
        condition.unlock()
        observer?(counts)
        _ = consume spare  // freed here, outside the lock: closing a connection may write its TLS close
        return true
    }

    /// The next job, or nil when this thread should exit (shut down, or idle for `idleTimeout`).
    private func next() -> Queued? {
        condition.lock()
        var changes: [Counts] = []
        defer {
            condition.unlock()
            changes.forEach { observer?($0) }
        }
        while jobHead == jobs.count {
            if stopping {
                threads -= 1
                note(&changes)
                return nil
            }
            waiting += 1
            report(&changes)
            // The report may have unlocked for a moment: a job queued then sent its signal before this wait.
            let signalled = jobHead < jobs.count || stopping || condition.wait(until: Date(timeIntervalSinceNow: idleTimeout))
            waiting -= 1
            if !signalled, jobHead == jobs.count, !stopping {
                threads -= 1
                note(&changes)
                return nil
            }
            note(&changes)
        }
        let job = jobs[jobHead]
        jobHead += 1
        if jobHead == jobs.count {
            jobs.removeAll(keepingCapacity: jobs.count <= 64)
            jobHead = 0
        } else if jobHead > 64, jobHead * 2 > jobs.count {
            jobs.removeFirst(jobHead)
            jobHead = 0
        }
        if let flag = job.cancel {
            inFlight[ObjectIdentifier(flag)] = flag
            if stopping { flag.cancel() }
        }
        return job
    }

    /// The figures now; call with the lock held.
    private func countsLocked() -> Counts {
        Counts(live: threads, waiting: waiting, keptHandles: handles.count)
    }

    /// Keeps the figures now for the observer, if there is one; call with the lock held.
    private func note(_ changes: inout [Counts]) {
        if observer != nil { changes.append(countsLocked()) }
    }

    /// Tells the observer of the changes so far before this thread waits (unlocking for the call), so a test sees a
    /// thread waiting while it waits.
    private func report(_ changes: inout [Counts]) {
        guard let observer else { return }
        changes.append(countsLocked())
        let told = changes
        changes.removeAll()
        condition.unlock()
        told.forEach(observer)
        condition.lock()
    }

    private func finished(_ flag: CancellationFlag) {
        condition.lock()
        inFlight[ObjectIdentifier(flag)] = nil
        condition.unlock()
    }

    private func takeHandle() -> CurlEasy? {
        condition.lock()
        let reused = handles.popLast()
        condition.unlock()
        return reused ?? (try? CurlEasy())
    }

    private func giveBack(_ easy: CurlEasy) {
        condition.lock()
        handles.append(easy)
        let counts = countsLocked()
        condition.unlock()
        observer?(counts)
    }
}

/// Set when the awaiting task is cancelled; checked by curl's progress callback to abort the transfer.
final class CancellationFlag: Sendable {
    private let cancelled = Atomic(false)

    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    var isCancelled: Bool {
        cancelled.load(ordering: .acquiring)
    }
}
