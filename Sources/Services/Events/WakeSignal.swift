import Synchronization

/// Wakes one loop: any number of `poke()`s while it works are one more pass, never lost and never piled up.
/// `pass()` also waits for that pass to finish (a periodic catch-up, a test). The loop calls `wait()`.
///
/// Continuations are resumed after the lock is released: `wait`'s cancellation handler takes the same lock,
/// and resuming under it can deadlock against `Task.cancel()`.
final class WakeSignal: Sendable {
    private struct State {
        var poked = false
        var sleeper: CheckedContinuation<Void, Never>?
        /// Callers of `pass()` waiting for the next pass to finish.
        var passWaiters: [CheckedContinuation<Void, Never>] = []
        /// The loop has ended: `pass()` returns at once.
        var closed = false
    }

    private let state = Mutex(State())

    /// Asks for one more pass of the loop.
    func poke() {
        let sleeper = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.poked = true
            defer { state.sleeper = nil }
            return state.sleeper
        }
        sleeper?.resume()
    }

    /// Asks for one more pass and returns once it has run (a pass that started after this call).
    func pass() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let (sleeper, closed) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool) in
                if state.closed { return (nil, true) }
                state.passWaiters.append(waiter)
                state.poked = true
                defer { state.sleeper = nil }
                return (state.sleeper, false)
            }
            if closed { waiter.resume() }
            sleeper?.resume()
        }
    }

    /// The loop has ended: lets go of every `pass()` caller, now and later.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.passWaiters = [] }
            return state.passWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The loop's side: returns once poked (at once when it was poked since the last call, or when the task is
    /// cancelled), with the `pass()` callers to resume once this pass is done.
    func wait() async -> [CheckedContinuation<Void, Never>] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (sleeper: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.poked || Task.isCancelled { return true }
                    state.sleeper = sleeper
                    return false
                }
                if ready { sleeper.resume() }
            }
        } onCancel: {
            poke()
        }
        return state.withLock { state in
            state.poked = false
            defer { state.passWaiters = [] }
            return state.passWaiters
        }
    }
}
