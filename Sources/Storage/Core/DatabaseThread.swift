import Foundation
import Threads

/// The serial executor of one `Store`: a dedicated thread that runs the actor's jobs in order.
///
/// SQLite calls block (a busy timeout can wait seconds for another process's lock). On the shared
/// cooperative pool — two threads on a two-core host — that would stall every other task; here it
/// stalls only this store's own thread. The thread is a joinable one of `BackgroundThreads`: it ends
/// when the store goes away or the process stops its threads before exiting, and is joined.
final class DatabaseThread: SerialExecutor, BackgroundThreadOwner, @unchecked Sendable {
    // @unchecked: `jobs`, `stopping` and `exited` are only touched while holding `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    /// Set when the thread has returned: a job appended later would never run.
    private var exited = false

    /// The key under which the thread's `threadDictionary` holds its name (Linux does not report `Thread.name` back).
    static let nameKey = "clanbot.DatabaseThread"

    /// Throws when the system (or a process already stopping its threads) refuses a new thread.
    init(name: String) throws(DatabaseError) {
        BackgroundThreads.shared.register(self)
        let started = BackgroundThreads.shared.start(name: "clanbot-db") { [self] in
            Thread.current.threadDictionary[Self.nameKey] = name
            run()
        }
        guard started else {
            throw DatabaseError.misuse("no thread could be started for the database (\(name)): the process is stopping or out of threads")
        }
    }

    /// An actor job, or a plain closure (`perform`).
    private enum Job {
        case actor(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        append(.actor(UnownedJob(job)))
    }

    /// Runs `body` on this thread and hands back its result: how a store opens and migrates its database before
    /// the actor exists, without blocking the caller.
    func perform<T>(_ body: @escaping @Sendable () throws -> sending T) async throws -> sending T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let queued = append(.closure { continuation.resume(with: Result { try body() }) })
            if !queued {
                continuation.resume(throwing: DatabaseError.misuse("the database thread has stopped: the process is exiting"))
            }
        }
    }

    /// False when the thread has already returned (the job is not queued).
    @discardableResult
    private func append(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !exited else { return false }
        jobs.append(job)
        condition.signal()
        return true
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

    /// At exit: the same; the store was closed and nothing uses it any more.
    func stopThreadsForExit() { stop() }

    private func run() {
        var batch: [Job] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                exited = true
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch {
                switch job {
                case .actor(let job): job.runSynchronously(on: asUnownedSerialExecutor())
                case .closure(let body): body()
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
