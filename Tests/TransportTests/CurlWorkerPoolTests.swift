import Foundation
import TestSupport
import Testing
@testable import Transport

/// The transfer threads behind HTTPClient: started on demand, capped, and gone again when idle. Each test awaits the
/// pool's own reports of its figures (`PoolFigures`) rather than polling them.
@Suite struct CurlWorkerPoolTests {
    @Test func startsNoThreadUntilWorkArrives() {
        let pool = CurlWorkerPool(maxThreads: 4, name: "test-pool")
        defer { pool.shutdown() }
        #expect(pool.counts.live == 0)
    }

    @Test func startsOneThreadPerConcurrentJobUpToTheCapAndRunsEveryJob() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 3, idleTimeout: .seconds(30), name: "test-pool", observer: figures.record)
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let finished = AsyncMailbox<Bool>()
        for _ in 0..<7 {
            #expect(pool.submitJob { _ in
                gate.wait()
                finished.send(true)
            })
        }
        try await figures.until("three threads") { $0.live == 3 }
        for _ in 0..<7 { gate.signal() }
        for _ in 0..<7 { _ = try await finished.next("a job's end") { $0 } }
        #expect(pool.counts.live == 3)
    }

    @Test func idleThreadsExitAfterTheIdleTimeoutAndNewWorkStartsOneAgain() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 2, idleTimeout: .milliseconds(200), name: "test-pool", observer: figures.record)
        defer { pool.shutdown() }
        let finished = AsyncMailbox<Bool>()
        #expect(pool.submitJob { _ in finished.send(true) })
        _ = try await finished.next("the first job's end") { $0 }
        try await figures.until("the idle thread's exit") { $0.live == 0 }
        #expect(pool.counts.live == 0)

        #expect(pool.submitJob { easy in finished.send(easy != nil) })
        #expect(try await finished.next("the second job's end") { $0 }, "the new thread has a handle")
    }

    @Test func anIdlePoolKeepsOneHandleOfTheBurstsAndFreesTheOthers() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 3, idleTimeout: .milliseconds(200), name: "test-pool", observer: figures.record)
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let finished = AsyncMailbox<Bool>()
        for _ in 0..<3 {
            #expect(pool.submitJob { _ in
                gate.wait()
                finished.send(true)
            })
        }
        for _ in 0..<3 { gate.signal() }
        for _ in 0..<3 { _ = try await finished.next("a job's end") { $0 } }
        try await figures.until("the spare handles freed") { $0.live == 0 && $0.keptHandles == CurlWorkerPool.idleHandles }
        #expect(pool.counts.keptHandles == CurlWorkerPool.idleHandles)
    }

    @Test func sequentialJobsReuseOneThread() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 4, idleTimeout: .seconds(30), name: "test-pool", observer: figures.record)
        defer { pool.shutdown() }
        let done = LockedValue(0)
        for expected in 1...5 {
            #expect(pool.submitJob { _ in done.withLock { $0 += 1 } })
            // The one thread ran the job and waits again before the next is submitted.
            try await figures.until("the thread waiting after job \(expected)") { $0.waiting == 1 }
            #expect(done.value == expected)
        }
        #expect(pool.counts.live == 1)
    }

    @Test func refusesWorkAfterShutdownAndItsThreadsExit() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 2, idleTimeout: .seconds(30), name: "test-pool", observer: figures.record)
        let done = LockedValue(0)
        let finished = AsyncMailbox<Bool>()
        #expect(pool.submitJob { _ in
            done.withLock { $0 += 1 }
            finished.send(true)
        })
        _ = try await finished.next("the job's end") { $0 }
        pool.shutdown()
        #expect(!pool.submitJob { _ in done.withLock { $0 += 1 } })
        try await figures.until("the threads' exit") { $0.live == 0 }
        #expect(done.value == 1)
    }

    @Test func stoppingWithCancellationCancelsRunningAndQueuedJobs() async throws {
        let figures = PoolFigures()
        let pool = CurlWorkerPool(maxThreads: 1, idleTimeout: .seconds(30), name: "test-pool", observer: figures.record)
        let running = CancellationFlag()
        let queued = CancellationFlag()
        let started = AsyncMailbox<Bool>()
        let sawCancel = LockedValue<[Bool]>([])
        #expect(pool.submitJob(cancel: running) { _ in
            started.send(true)
            // A transfer polls its flag (curl's progress callback); so does this job.
            while !running.isCancelled { usleep(1_000) }
            sawCancel.withLock { $0.append(true) }
        })
        #expect(pool.submitJob(cancel: queued) { _ in sawCancel.withLock { $0.append(queued.isCancelled) } })
        _ = try await started.next("the running job's start") { $0 }
        pool.stop(cancelling: true)
        try await figures.until("the thread's exit") { $0.live == 0 }
        #expect(sawCancel.value == [true, true])
        #expect(!pool.submitJob { _ in })
    }
}

extension CurlWorkerPool {
    /// `submit` for a test job with nothing to deliver afterwards.
    func submitJob(cancel: CancellationFlag? = nil, _ job: @escaping (CurlEasy?) -> Void) -> Bool {
        submit(cancel: cancel) { easy in
            job(easy)
            return {}
        }
    }
}

/// The figures a pool reports as they change, in a mailbox a test awaits.
private struct PoolFigures {
    let reports = AsyncMailbox<CurlWorkerPool.Counts>()

    var record: @Sendable (CurlWorkerPool.Counts) -> Void {
        { [reports] in reports.send($0) }
    }

    /// Returns once the pool reported figures that `match`.
    func until(_ what: String, _ match: @escaping (CurlWorkerPool.Counts) -> Bool) async throws {
        _ = try await reports.next(what) { match($0) ? true : nil }
    }
}
