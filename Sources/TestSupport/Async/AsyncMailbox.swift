/// A queue one side fills and the other awaits, for in-memory fakes: `next()` returns what was sent in
/// order, then nil once `finish()` was called and everything before it was taken. Cancelling a waiting
/// `next()` returns nil.
///
/// Continuations are resumed after the lock is released (`ResumeAfterUnlock`): `next()`'s cancellation
/// handler takes the same lock, and resuming under it can deadlock against `Task.cancel()`.
public final class AsyncMailbox<Element: Sendable>: Sendable {
    public init() {}

    private struct State {
        var buffer: [Element] = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Element?, Never>)] = []
        var cancelled: Set<UInt64> = []
        var finished = false
        var nextID: UInt64 = 0
    }

    private let state = LockedValue(State())

    /// Ignored once finished.
    public func send(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            guard !state.finished else { return nil }
            if state.waiters.isEmpty {
                state.buffer.append(element)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: element)
    }

    public func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
    }

    public var isFinished: Bool { state.value.finished }

    public func next() async -> Element? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                // .some(x): resume now with x; nil: the continuation waits.
                let answer = state.withLock { state -> Element?? in
                    if state.cancelled.remove(id) != nil { return .some(nil) }
                    if !state.buffer.isEmpty { return .some(state.buffer.removeFirst()) }
                    if state.finished { return .some(nil) }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: nil)
        }
    }

    /// `next()`, failing with `TimedOutWaiting` after `timeout` of real time, so a test whose peer
    /// never answers fails instead of hanging.
    public func next(within timeout: Duration, waitingFor what: String) async throws -> Element? {
        try await withThrowingTaskGroup(of: Element?.self) { group in
            group.addTask { await self.next() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TimedOutWaiting(what: what)
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}

extension AsyncMailbox {
    /// Takes elements until `match` makes something of one, and returns that; throws `TimedOutWaiting`
    /// when nothing matching comes within `timeout` (real time) or the mailbox is finished. The default is
    /// generous because a passing wait returns at once and a loaded machine can starve a task for seconds.
    public func next<T>(_ what: String, within timeout: Duration = .seconds(30), _ match: (Element) -> T?) async throws -> T {
        while let element = try await next(within: timeout, waitingFor: what) {
            if let found = match(element) { return found }
        }
        throw TimedOutWaiting(what: what)
    }
}

/// A test waited longer than it allows for something that never came.
public struct TimedOutWaiting: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "timed out waiting for \(what)" }
}
