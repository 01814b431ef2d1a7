import Foundation
import Transport

/// A statement waiting for the I/O thread, and the caller waiting for its result.
struct PendingStatement: Sendable {
    let query: PostgresQuery
    let continuation: CheckedContinuation<PostgresQueryResult, any Error>
}

/// What callers and a connection's I/O thread share: the statements queued for it, how the connection
/// ended, and the transaction state last reported. Every field is guarded by `lock`; continuations are
/// resumed while holding it, which is safe because resuming only schedules the waiting task.
final class PostgresSharedState: @unchecked Sendable {
    // Safe: all mutable fields below are read and written only inside `lock`.
    private let lock = NSLock()
    let wakeup: WakeupPipe
    let notifications: AsyncStream<PostgresNotification>.Continuation
    private var queue: [PendingStatement] = []
    private var ending: PostgresError?
    private var closeRequested = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
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
            let refusal = locked { () -> PostgresError? in
                if let ending { return Self.afterEnd(ending) }
                if closeRequested { return .connectionClosed("closed by this program") }
                queue.append(PendingStatement(query: query, continuation: continuation))
                return nil
            }
            if let refusal {
                continuation.resume(throwing: refusal)
            } else {
                wakeup.signal()
            }
        }
    }

    /// Asks the I/O thread to finish the queued statements, say goodbye (Terminate) and close; waits until it has.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = locked { () -> Bool in
                if ending != nil { return true }
                closeRequested = true
                closeWaiters.append(continuation)
                return false
            }
            if ended { continuation.resume() } else { wakeup.signal() }
        }
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
        locked {
            guard ending == nil else { return }
            ending = error
            for statement in queue { statement.continuation.resume(throwing: Self.afterEnd(error)) }
            queue.removeAll()
            for waiter in closeWaiters { waiter.resume() }
            closeWaiters.removeAll()
        }
        notifications.finish()
    }

    /// What a statement is told when the connection ended before it was sent.
    private static func afterEnd(_ error: PostgresError) -> PostgresError {
        if case .connectionClosed = error { return error }
        return .connectionClosed(error.description)
    }
}
