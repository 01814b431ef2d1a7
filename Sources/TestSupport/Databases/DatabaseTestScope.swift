import Foundation

/// Where storage and service tests run when the PostgreSQL test cluster is up: on a few threads of their own,
/// a bounded number at a time.
///
/// A `Database` on PostgreSQL blocks the thread that runs a statement until the server answers, and many of
/// these tests use one directly (or make their fixture's database) in synchronous code. On the shared cooperative
/// pool — two threads on a two-core host — a few dozen of them in parallel would leave no thread for the
/// timing-sensitive tests of every other suite. So each test runs with these threads as its task executor
/// (`withTaskExecutorPreference`), and at most `width` run at once, which also bounds the test databases and
/// connections alive at a time. Without the cluster (SQLite only) tests run as they always did.
public enum DatabaseTestScope {
    /// Tests in flight at once.
    public static let width = 12
    static let executor = DatabaseTestExecutor(threads: 6)
    static let gate = AsyncGate(width: width)

    /// Runs one test case (a trait's `provideScope` calls this).
    public static func run(_ body: @Sendable () async throws -> Void) async throws {
        guard TestDatabaseBackend.isPostgresAvailable else { return try await body() }
        await gate.enter()
        do {
            try await withTaskExecutorPreference(executor) { try await body() }
        } catch {
            await gate.leave()
            throw error
        }
        await gate.leave()
    }

    /// True on one of the scope's threads (a test checks that tests really run there).
    public static var isOnScopeThread: Bool {
        Thread.current.threadDictionary[DatabaseTestExecutor.threadKey] != nil
    }
}

/// A task executor of a few dedicated threads sharing one queue of jobs.
final class DatabaseTestExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched while holding `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    static let threadKey = "clanbot.DatabaseTestExecutor"

    /// The threads live as long as the test process (the executor is a static).
    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in
                Thread.current.threadDictionary[Self.threadKey] = index
                run()
            }
            thread.name = "clanbot-test-db-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// An async semaphore: `enter` waits (without blocking a thread) while `width` holders are inside.
actor AsyncGate {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        available = width
    }

    func enter() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func leave() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
