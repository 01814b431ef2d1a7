import Foundation
import Transport

/// A statement waiting for the I/O thread, and how its caller learns the result (an async caller's continuation,
/// or a blocked thread's semaphore: see `PostgresConnection.querySynchronously`). Called exactly once.
struct PendingStatement: Sendable {
    let query: PostgresQuery
    let complete: @Sendable (Result<PostgresQueryResult, PostgresError>) -> Void
}

/// What callers and a connection's I/O thread share: the statements queued for it, how the connection
/// ended, and the transaction state last reported. Every field is guarded by `lock`; completions are
/// called after it is released, never under it (see `ResumeAfterUnlock` in Threads for why).
final class PostgresSharedState: @unchecked Sendable {
    // Safe: all mutable fields below are read and written only inside `lock`.
    private let lock = NSLock()
    let wakeup: WakeupPipe
    let notifications: AsyncStream<PostgresNotification>.Continuation
    private var queue: [PendingStatement] = []
    private var ending: PostgresError?
    private var closeRequested = false
    private var closeWaiters: [@Sendable () -> Void] = []
    private var lastTransactionStatus = TransactionStatus.idle

    init(wakeup: WakeupPipe, notifications: AsyncStream<PostgresNotification>.Continuation) {
        self.wakeup = wakeup
        self.notifications = notifications
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: callers

    func run(_ query: PostgresQuery) async throws -> PostgresQueryResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresQueryResult, any Error>) in
            submit(query) { result in continuation.resume(with: result.mapError { $0 as any Error }) }
        }
    }

    /// Queues `query`; `complete` is called once with its result (at once when the connection has ended).
    func submit(_ query: PostgresQuery, complete: @escaping @Sendable (Result<PostgresQueryResult, PostgresError>) -> Void) {
        let refusal = locked { () -> PostgresError? in
            if let ending { return Self.afterEnd(ending) }
            if closeRequested { return .connectionClosed("closed by this program") }
            queue.append(PendingStatement(query: query, complete: complete))
            return nil
        }
        if let refusal {
            complete(.failure(refusal))
        } else {
            wakeup.signal()
        }
    }

    /// Asks the I/O thread to finish the queued statements, say goodbye (Terminate) and close; waits until it has.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            requestClose { continuation.resume() }
        }
    }

    /// Asks for the close `close()` waits for; `closed` is called once the connection has ended.
    func requestClose(_ closed: @escaping @Sendable () -> Void) {
        let ended = locked { () -> Bool in
            if ending != nil { return true }
            closeRequested = true
            closeWaiters.append(closed)
            return false
        }
        if ended { closed() } else { wakeup.signal() }
    }

    /// Ends the connection at once; the I/O thread drops the socket when it next wakes.
    func abort(_ error: PostgresError = .connectionClosed("closed by this program")) {
        end(error)
        wakeup.signal()
    }

    var outcome: PostgresError? { locked { ending } }
    var transactionStatus: TransactionStatus { locked { lastTransactionStatus } }

    // MARK: I/O thread

    /// The next statement, nil if none; `.close` once the application asked to close and nothing is queued.
    func next() -> Next {
        locked {
            if ending != nil { return .stop }
            if !queue.isEmpty { return .statement(queue.removeFirst()) }
            return closeRequested ? .close : .wait
        }
    }

    enum Next {
        case statement(PendingStatement)
        case close
        case wait
        case stop
    }

    func update(transactionStatus: TransactionStatus) {
        locked { lastTransactionStatus = transactionStatus }
    }

    /// Ends the connection with `error` unless it already ended: queued statements fail, close() returns,
    /// the notification stream finishes.
    func end(_ error: PostgresError) {
        let (statements, waiters) = locked { () -> ([PendingStatement], [@Sendable () -> Void]) in
            guard ending == nil else { return ([], []) }
            ending = error
            defer { queue.removeAll(); closeWaiters.removeAll() }
            return (queue, closeWaiters)
        }
        for statement in statements { statement.complete(.failure(Self.afterEnd(error))) }
        for waiter in waiters { waiter() }
        notifications.finish()
    }

    /// What a statement is told when the connection ended before it was sent.
    private static func afterEnd(_ error: PostgresError) -> PostgresError {
        if case .connectionClosed = error { return error }
        return .connectionClosed(error.description)
    }
}
