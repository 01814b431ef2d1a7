import Foundation
import Synchronization

/// Blocking forms of connect, query and close, for a caller that owns a thread of its own and must stay
/// synchronous (clanbot's `Store` runs every statement on its dedicated database thread). The calling thread
/// waits on a semaphore that the connection's I/O thread signals, so no task of the cooperative pool is
/// involved and none is blocked. Never call these from a task of the shared pool.
extension PostgresConnection {
    /// Connects as `connect(_:options:)` does, blocking the calling thread until the connection is ready.
    public static func connectSynchronously(
        _ configuration: PostgresConfiguration, options: PostgresConnectionOptions = PostgresConnectionOptions()
    ) throws(PostgresError) -> PostgresConnection {
        let tlsContext = try makeTLSContext(configuration, options: options)
        let (state, notifications) = try makeState(options)
        let waiter = ResultWaiter<Int32?>()
        start(configuration, options: options, tlsContext: tlsContext, state: state) { waiter.finish($0) }
        let processID = try waiter.wait()
        return PostgresConnection(state: state, backendProcessID: processID, notifications: notifications)
    }

    /// Runs one statement as `query(_:_:)` does, blocking the calling thread until its result arrives.
    @discardableResult
    public func querySynchronously(_ sql: String, _ parameters: [PostgresData] = []) throws(PostgresError) -> PostgresQueryResult {
        let waiter = ResultWaiter<PostgresQueryResult>()
        state.submit(PostgresQuery(sql, parameters)) { waiter.finish($0) }
        return try waiter.wait()
    }

    /// Finishes queued statements, says goodbye to the server and closes the socket, blocking until done.
    public func closeSynchronously() {
        let done = DispatchSemaphore(value: 0)
        state.requestClose { done.signal() }
        done.wait()
    }
}

/// One result handed from the I/O thread to a blocked caller.
private final class ResultWaiter<Value: Sendable>: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, PostgresError>?>(nil)

    func finish(_ result: Result<Value, PostgresError>) {
        self.result.withLock { $0 = result }
        semaphore.signal()
    }

    func wait() throws(PostgresError) -> Value {
        semaphore.wait()
        guard let result = result.withLock({ $0 }) else { throw .protocolViolation("a statement finished without a result") }
        return try result.get()
    }
}
