import Foundation
import Testing
import TestSupport
import Threads
@testable import Transport

/// `receive()` cancelled at the moment the I/O thread hands it a message or ends the connection.
/// `Task.cancel()` holds the task's status lock while the cancellation handler waits for the shared
/// state's lock; if the I/O thread resumed the receiver while holding that lock, each would wait for the
/// other forever. Found as a hung test run; this repeats the race until it would have struck.
@Suite struct WebSocketReceiveCancellationTests {
    @Test func aReceiveCancelledWhileTheIOThreadWakesItNeverDeadlocks() async throws {
        let rounds = 3_000
        let done = AsyncMailbox<Void>()
        // Cancelling and waking both happen on threads of their own, so a deadlock strands those two
        // threads and this test still fails after its wait instead of hanging the run.
        Task.detached {
            for round in 0..<rounds {
                guard let wakeup = try? WakeupPipe() else { return }
                let state = WebSocketSharedState(wakeup: wakeup, maximumBufferedMessages: 4, closeTimeout: .seconds(5))
                let receiving = Task { try? await state.receive() }
                Thread {
                    if round.isMultiple(of: 2) {
                        state.deliver(.text("hello"))
                    } else {
                        state.end(.connectionLost("the test ended it"))
                    }
                }.start()
                Thread { receiving.cancel() }.start()
                _ = await receiving.value
            }
            done.send(())
        }
        await #expect(throws: Never.self, "a cancelled receive and the I/O thread waited for each other") {
            try await done.next(within: .seconds(120), waitingFor: "\(rounds) cancelled receives")
        }
    }

    @Test func resumptionsRunInOrderOnlyWhenAsked() {
        var order: [Int] = []
        var resumes = ResumeAfterUnlock()
        resumes.add { order.append(1) }
        resumes.add { order.append(2) }
        #expect(order.isEmpty)
        resumes.run()
        #expect(order == [1, 2])
    }
}
