import Transport

/// A bounded pool of connections to one database. At most `maximumConnections` are open; a task asking
/// when all are busy waits its turn (first come, first served) up to `acquireTimeout`. A connection that
/// ended (the server went away, a statement timed out) or is left inside a transaction is dropped rather
/// than handed out again, and the next task gets a fresh one.
public actor PostgresPool {
    public nonisolated let configuration: PostgresConfiguration
    public nonisolated let options: PostgresConnectionOptions
    public nonisolated let maximumConnections: Int
    public nonisolated let acquireTimeout: Duration

    private var idle: [PostgresConnection] = []
    /// Connections open or being opened, idle ones included.
    private var openCount = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Grant, any Error>)] = []
    private var timers: [UInt64: Task<Void, Never>] = [:]
    private var nextWaiterID: UInt64 = 0
    private var isShutDown = false
    /// Made on first use and shared by every connection (nil inside: sslmode=disable).
    private var tlsContext: TLSContext??

    /// What a waiting task is given: a free connection, or the right to open one (a slot freed up).
    private enum Grant: Sendable {
        case connection(PostgresConnection)
        case open
    }

    public init(configuration: PostgresConfiguration, options: PostgresConnectionOptions = PostgresConnectionOptions(),
                maximumConnections: Int = 4, acquireTimeout: Duration = .seconds(30)) {
        self.configuration = configuration
        self.options = options
        self.maximumConnections = max(1, maximumConnections)
        self.acquireTimeout = acquireTimeout
    }

    /// Runs `body` with a connection of its own, and gives the connection back afterwards.
    @discardableResult
    public nonisolated func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a connection of its own (see `PostgresConnection.transaction`).
    @discardableResult
    public nonisolated func transaction<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in try await connection.transaction(body) }
    }

    /// Runs one statement on whichever connection is free.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: [PostgresData] = []) async throws -> PostgresQueryResult {
        try await withConnection { connection in try await connection.query(sql, parameters) }
    }

    /// Closes idle connections and refuses new work; connections in use close when they come back.
    public func shutDown() async {
        isShutDown = true
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError.poolClosed) }
        waiters.removeAll()
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        for connection in closing { await connection.close() }
    }

    /// Connections open (busy or idle), idle, and tasks waiting: for tests and diagnostics.
    var statistics: (open: Int, idle: Int, waiting: Int) { (openCount, idle.count, waiters.count) }

    // MARK: lending

    private func acquire() async throws -> PostgresConnection {
        guard !isShutDown else { throw PostgresError.poolClosed }
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            openCount -= 1  // ended while idle (the server restarted, an administrator ended it)
        }
        if openCount < maximumConnections {
            openCount += 1
            return try await open()
        }
        switch try await wait() {
        case .connection(let connection): return connection
        case .open: return try await open()
        }
    }

    /// Opens a connection in a slot already counted in `openCount`; gives the slot up if that fails.
    private func open() async throws -> PostgresConnection {
        do {
            if tlsContext == nil { tlsContext = .some(try PostgresConnection.makeTLSContext(configuration, options: options)) }
            return try await PostgresConnection.connect(configuration, options: options, tlsContext: tlsContext ?? nil)
        } catch {
            openCount -= 1
            handOverFreedSlot()
            throw error
        }
    }

    private func wait() async throws -> Grant {
        nextWaiterID += 1
        let id = nextWaiterID
        let timeout = acquireTimeout
        return try await withCheckedThrowingContinuation { continuation in
            waiters.append((id, continuation))
            timers[id] = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                await self?.timeOut(id)
            }
        }
    }

    private func timeOut(_ id: UInt64) {
        timers[id] = nil
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let seconds = Double(acquireTimeout.components.seconds) + Double(acquireTimeout.components.attoseconds) / 1e18
        waiters.remove(at: index).continuation.resume(throwing: PostgresError.poolTimedOut(seconds: seconds))
    }

    private func release(_ connection: PostgresConnection) {
        // A connection left in a transaction would leak it to the next task; one that ended is useless.
        guard !isShutDown, !connection.isClosed, connection.transactionStatus == .idle else {
            if !connection.isClosed { connection.abort() }
            openCount -= 1
            handOverFreedSlot()
            return
        }
        if let waiter = takeWaiter() {
            waiter.resume(returning: .connection(connection))
        } else {
            idle.append(connection)
        }
    }

    /// A slot freed up: the first waiter may open a connection in it.
    private func handOverFreedSlot() {
        guard !isShutDown, openCount < maximumConnections, let waiter = takeWaiter() else { return }
        openCount += 1
        waiter.resume(returning: .open)
    }

    private func takeWaiter() -> CheckedContinuation<Grant, any Error>? {
        guard !waiters.isEmpty else { return nil }
        let waiter = waiters.removeFirst()
        timers.removeValue(forKey: waiter.id)?.cancel()
        return waiter.continuation
    }
}
