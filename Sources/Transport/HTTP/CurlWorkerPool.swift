import Foundation

/// Runs blocking `curl_easy_perform` calls on dedicated threads, never on Swift's cooperative pool.
///
/// `threadCount` threads take jobs in order. Easy handles live in a LIFO stack shared by the threads:
/// each handle keeps its own connection cache, and taking the most recently returned handle means
/// back-to-back requests to one host reuse the same kept-alive connection.
final class CurlWorkerPool: @unchecked Sendable {
    // Safe: `jobs`, `handles`, `stopping` and `live` are only touched with `condition` locked;
    // a CurlEasy taken from `handles` is used by exactly one thread until it is pushed back.
    typealias Job = (CurlEasy?) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var jobHead = 0
    private var handles: [CurlEasy] = []
    private var stopping = false

    init(threadCount: Int, name: String) {
        for index in 0..<max(1, threadCount) {
            let thread = Thread { [self] in run() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `job`; false when the pool is shut down (the job will not run).
    func submit(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Stops the threads once the queued jobs are done; the handles are freed with the pool.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while let job = next() {
            let easy = takeHandle()
            job(easy)
            if let easy { giveBack(easy) }
        }
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobHead == jobs.count {
            if stopping { return nil }
            condition.wait()
        }
        let job = jobs[jobHead]
        jobHead += 1
        if jobHead > 64, jobHead * 2 > jobs.count {
            jobs.removeFirst(jobHead)
            jobHead = 0
        }
        return job
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
        condition.unlock()
    }
}

/// Set when the awaiting task is cancelled; checked by curl's progress callback to abort the transfer.
final class CancellationFlag: @unchecked Sendable {
    // Safe: `cancelled` is only read and written with `lock` held.
    private let lock = NSLock()
    private var cancelled = false

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
