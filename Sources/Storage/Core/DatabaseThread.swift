import Foundation

/// The serial executor of one `Store`: a dedicated thread that runs the actor's jobs in order.
///
/// SQLite calls block (a busy timeout can wait seconds for another process's lock). On the shared
/// cooperative pool — two threads on a two-core host — that would stall every other task; here it
/// stalls only this store's own thread.
final class DatabaseThread: SerialExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopping` are only touched while holding `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// The key under which the thread's `threadDictionary` holds its name (Linux does not report `Thread.name` back).
    static let nameKey = "clanbot.DatabaseThread"

    init(name: String) {
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set before `start()` never reaches the OS thread.
            Thread.current.name = "clanbot-db"
            Thread.current.threadDictionary[Self.nameKey] = name
            run()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the jobs it has and exit. Called when the store goes away.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
