import Foundation
import Transport

/// One connection to PostgreSQL, speaking protocol v3 over TCP or TLS.
///
/// Each connection has one I/O thread that owns the socket; these methods hand statements to it and may
/// be called from any task. Statements run one at a time, in the order they were asked for; each is one
/// round trip of the extended query protocol (Parse, Bind, Describe, Execute, Sync) with its parameters
/// bound apart from the SQL. Errors are `PostgresError`: `.server` carries SQLSTATE, message, detail and
/// the statement. NOTIFY messages for channels this connection LISTENs on arrive on `notifications`.
public final class PostgresConnection: Sendable {
    let state: PostgresSharedState
    /// The server's process ID for this session (what pg_terminate_backend takes).
    public let backendProcessID: Int32?
    /// NOTIFY messages, in arrival order; finishes when the connection ends.
    public let notifications: AsyncStream<PostgresNotification>

    init(state: PostgresSharedState, backendProcessID: Int32?, notifications: AsyncStream<PostgresNotification>) {
        self.state = state
        self.backendProcessID = backendProcessID
        self.notifications = notifications
    }

    /// Connects, negotiates TLS as `configuration.sslMode` says, authenticates and returns a ready connection.
    /// - Throws: `PostgresError` (`.transport` for DNS/TCP/TLS and certificate checks, `.server` for a wrong
    ///   password (28P01) or an unknown database (3D000), `.authentication`, `.serverRefusedTLS`, `.timedOut`).
    public static func connect(
        _ configuration: PostgresConfiguration, options: PostgresConnectionOptions = PostgresConnectionOptions()
    ) async throws -> PostgresConnection {
        try await connect(configuration, options: options, tlsContext: try makeTLSContext(configuration, options: options))
    }

    /// The TLS context `configuration` needs (nil for sslmode=disable). Loading the system CA store is most of a
    /// TLS connection's start-up time, so the pool makes this once and shares it.
    static func makeTLSContext(_ configuration: PostgresConfiguration, options: PostgresConnectionOptions) throws(PostgresError) -> TLSContext? {
        guard let tls = options.tlsOptions(for: configuration) else { return nil }
        do { return try TLSContext(client: tls) } catch { throw PostgresError.transport(error) }
    }

    static func connect(
        _ configuration: PostgresConfiguration, options: PostgresConnectionOptions, tlsContext: TLSContext?
    ) async throws -> PostgresConnection {
        let (state, notifications) = try makeState(options)
        let processID = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32?, any Error>) in
            start(configuration, options: options, tlsContext: tlsContext, state: state) { result in
                continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
        return PostgresConnection(state: state, backendProcessID: processID, notifications: notifications)
    }

    static func makeState(_ options: PostgresConnectionOptions) throws(PostgresError)
        -> (PostgresSharedState, AsyncStream<PostgresNotification>)
    {
        let wakeup: WakeupPipe
        do { wakeup = try WakeupPipe() } catch { throw PostgresError.transport(error) }
        let (notifications, sink) = AsyncStream.makeStream(
            of: PostgresNotification.self, bufferingPolicy: .bufferingNewest(max(1, options.notificationBuffer)))
        return (PostgresSharedState(wakeup: wakeup, notifications: sink), notifications)
    }

    /// Starts the connection's I/O thread; `opened` is called once, from that thread, when start-up ends.
    static func start(
        _ configuration: PostgresConfiguration, options: PostgresConnectionOptions, tlsContext: TLSContext?,
        state: PostgresSharedState, opened: @escaping @Sendable (Result<Int32?, PostgresError>) -> Void
    ) {
        let thread = Thread {
            // Named from inside: on Linux a name set before `start()` never reaches the OS thread.
            Thread.current.name = "clanbot-pg"
            let loop = PostgresIOLoop(configuration: configuration, options: options, tlsContext: tlsContext, state: state)
            loop.run(opened: opened)
        }
        thread.start()
    }

    deinit {
        // Nobody can use the connection any more: stop its thread (no-op if already finished).
        state.abort()
    }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, … and returns its rows and command tag.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresData] = []) async throws -> PostgresQueryResult {
        try await state.run(PostgresQuery(sql, parameters))
    }

    /// Runs `body` inside BEGIN … COMMIT. When `body` throws, the transaction is rolled back (if the
    /// connection is still up) and the error rethrown. A transaction that failed inside `body` without
    /// `body` throwing is reported as `.server` with SQLSTATE 25P02 rather than silently rolled back.
    @discardableResult
    public func transaction<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await query("BEGIN")
        let value: T
        do {
            value = try await body(self)
        } catch {
            if !isClosed { _ = try? await query("ROLLBACK") }
            throw error
        }
        let commit = try await query("COMMIT")
        if commit.commandTag == "ROLLBACK" {
            throw PostgresError.server(PostgresServerError(
                severity: "ERROR", sqlState: "25P02",
                message: "the transaction failed earlier and was rolled back at COMMIT; none of its changes were kept",
                detail: nil, hint: nil, position: nil, table: nil, constraint: nil, statement: "COMMIT"))
        }
        return value
    }

    /// Starts receiving NOTIFY messages for `channel` on `notifications`.
    public func listen(_ channel: String) async throws {
        try await query("LISTEN \(Self.quotedIdentifier(channel))")
    }

    public func unlisten(_ channel: String) async throws {
        try await query("UNLISTEN \(Self.quotedIdentifier(channel))")
    }

    /// Sends `payload` to every connection listening on `channel` (delivered when this transaction commits).
    public func notify(_ channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// Finishes queued statements, says goodbye to the server and closes the socket.
    public func close() async {
        await state.close()
    }

    /// Drops the connection at once; a statement in flight fails with `.connectionClosed`.
    public func abort() {
        state.abort()
    }

    /// True once the connection has ended (closed, dropped by the server, or failed).
    public var isClosed: Bool { state.outcome != nil }

    /// How the connection ended, once it has.
    public var endReason: PostgresError? { state.outcome }

    /// The transaction state as of the last statement.
    public var transactionStatus: TransactionStatus { state.transactionStatus }

    /// `name` as an SQL identifier in double quotes (a quote inside doubled), for the statements that take
    /// no parameters (LISTEN, UNLISTEN).
    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
