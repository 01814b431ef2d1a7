import Foundation
import Synchronization
import Testing
@testable import Threads

/// The registry every clanbot thread is started through: at exit each owner is asked to stop, every thread is
/// joined, and no new thread starts afterwards.
@Suite struct BackgroundThreadsTests {
    /// Threads that wait until told to stop, like an idle transfer pool or a database thread.
    final class Waiters: BackgroundThreadOwner, Sendable {
        /// Entered once at init and left once, on the first stop: every waiter then returns.
        private let released = DispatchGroup()
        private let stopped = Atomic(false)

        init() { released.enter() }

        func wait() {
            released.wait()
        }

        func stopThreadsForExit() {
            if !stopped.exchange(true, ordering: .acquiringAndReleasing) { released.leave() }
        }
    }

    @Test func stopAllAsksEveryOwnerAndJoinsEveryThread() {
        let threads = BackgroundThreads()
        let waiters = Waiters()
        threads.register(waiters)
        let ran = LockedCounter()
        for index in 0..<6 {
            #expect(threads.start(name: "test-\(index)") {
                ran.increment()
                waiters.wait()
            })
        }
        #expect(threads.stopAll(timeout: .seconds(30)))
        #expect(threads.runningCount == 0)
        #expect(ran.value == 6)
        #expect(!threads.start(name: "too-late") { Issue.record("a thread started after stopAll") })
    }

    @Test func aThreadThatDoesNotStopIsReported() {
        let threads = BackgroundThreads()
        let release = Waiters()  // never registered: stopAll cannot reach it
        #expect(threads.start(name: "stuck") { release.wait() })
        #expect(!threads.stopAll(timeout: .milliseconds(50)))
        #expect(threads.runningCount == 1)
        release.stopThreadsForExit()
        #expect(threads.stopAll(timeout: .seconds(30)))  // and now it is joined
    }
}

private final class LockedCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
