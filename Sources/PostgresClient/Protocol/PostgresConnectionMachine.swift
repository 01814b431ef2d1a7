/// The protocol state of one connection, sans-I/O: the I/O loop feeds it what happened (bytes decoded into
/// messages, TLS up, end of stream) and performs the actions it returns. Tests drive it without sockets.
struct PostgresConnectionMachine {
    enum Action: Sendable, Equatable {
        /// Send these bytes.
        case write([UInt8])
        /// Start the TLS handshake on the socket (the server agreed to SSLRequest).
        case startTLS
        /// Start-up is done; the connection takes statements.
        case connected
        /// The statement in flight succeeded.
        case finished(PostgresQueryResult)
        /// The statement in flight failed; the connection stays usable.
        case failed(PostgresError)
        /// A NOTIFY arrived for a channel this connection LISTENs on.
        case notify(PostgresNotification)
        /// The connection is over: drop the socket, fail the statement in flight (if any) with this error.
        case close(PostgresError)
    }

    private enum Phase {
        case initial
        case awaitingSSLAnswer
        case authenticating(SCRAMClient?)
        case startingUp
        case ready
        case running(Progress)
        case closed
        /// Only inside `receive`, while a statement's progress is taken out to be changed: with the phase
        /// still holding it, appending a row would copy every row before it (quadratic in the row count).
        case modifying
    }

    private struct Progress {
        let query: PostgresQuery
        var columns: [PostgresColumn] = []
        var rows: [PostgresRow] = []
        var commandTag = ""
        var error: PostgresServerError?
    }

    let configuration: PostgresConfiguration
    private var phase = Phase.initial
    /// The server's transaction state as of its last ReadyForQuery.
    private(set) var transactionStatus = TransactionStatus.idle
    /// server_version, server_encoding, … as the server reported them.
    private(set) var serverParameters: [String: String] = [:]
    private(set) var backendProcessID: Int32?
    /// A fixed SCRAM nonce for tests; nil draws a random one.
    private let scramNonce: String?

    init(configuration: PostgresConfiguration, scramNonce: String? = nil) {
        self.configuration = configuration
        self.scramNonce = scramNonce
    }

    var isReady: Bool {
        if case .ready = phase { return true }
        return false
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }

    /// The parameters of the StartupMessage: who we are, and text formats that parse the same everywhere.
    var startupParameters: [(String, String)] {
        [("user", configuration.user), ("database", configuration.database),
         ("application_name", configuration.applicationName), ("client_encoding", "UTF8"),
         ("DateStyle", "ISO"), ("TimeZone", "UTC")]
    }

    // MARK: events

    /// The TCP connection is up.
    mutating func start() -> [Action] {
        guard case .initial = phase else { return violation("start() called twice") }
        if configuration.sslMode == .disable {
            phase = .authenticating(nil)
            return [.write(FrontendMessage.startup(parameters: startupParameters))]
        }
        phase = .awaitingSSLAnswer
        return [.write(FrontendMessage.sslRequest())]
    }

    /// The one byte the server answers SSLRequest with.
    mutating func sslAnswer(_ byte: UInt8) -> [Action] {
        guard case .awaitingSSLAnswer = phase else { return violation("an SSLRequest answer nobody asked for") }
        switch byte {
        case UInt8(ascii: "S"): return [.startTLS]
        case UInt8(ascii: "N"): return close(.serverRefusedTLS(host: configuration.host))
        default: return violation("the server answered SSLRequest with byte \(byte), not S or N; is this a PostgreSQL server?")
        }
    }

    /// The TLS handshake succeeded (certificate checks included).
    mutating func tlsEstablished() -> [Action] {
        guard case .awaitingSSLAnswer = phase else { return violation("TLS started outside start-up") }
        phase = .authenticating(nil)
        return [.write(FrontendMessage.startup(parameters: startupParameters))]
    }

    /// A statement to run now. Only call when `isReady`.
    mutating func send(_ query: PostgresQuery) -> [Action] {
        guard case .ready = phase else { return [.failed(.protocolViolation("a statement was sent while another was running"))] }
        if let problem = query.problem { return [.failed(.invalidQuery(problem))] }
        phase = .running(Progress(query: query))
        return [.write(FrontendMessage.extendedQuery(query))]
    }

    /// The server closed the connection.
    mutating func endOfStream() -> [Action] {
        switch phase {
        case .closed: return []
        case .initial, .awaitingSSLAnswer, .authenticating, .startingUp:
            return close(.connectionClosed("the server closed the connection during start-up"))
        case .ready: return close(.connectionClosed("the server closed the connection"))
        case .running, .modifying: return close(.connectionClosed("the server closed the connection while running a statement"))
        }
    }

    /// We give up on the connection (timeout, transport error, closed by the application).
    mutating func abandon(_ error: PostgresError) -> [Action] {
        if case .closed = phase { return [] }
        return close(error)
    }

    mutating func receive(_ message: BackendMessage) -> [Action] {
        switch message {
        case .noticeResponse, .negotiateProtocolVersion:
            return []
        case .parameterStatus(let name, let value):
            serverParameters[name] = value
            return []
        case .notification(let notification):
            if case .closed = phase { return [] }
            return [.notify(notification)]
        case .unsupported(let type):
            return violation("unexpected message of type \(BackendMessageDecoder.name(type))")
        case .errorResponse(let fields):
            return receiveError(fields)
        default:
            break
        }
        switch phase {
        case .authenticating(let scram): return authenticate(message, scram: scram)
        case .startingUp: return startUp(message)
        case .running(var progress):
            phase = .modifying
            let actions = run(message, progress: &progress)
            if case .modifying = phase { phase = .running(progress) }
            return actions
        case .closed: return []
        case .initial, .awaitingSSLAnswer, .ready, .modifying:
            return violation("unexpected \(message.kind) while \(phaseName)")
        }
    }

    // MARK: phases

    private mutating func receiveError(_ fields: PostgresErrorFields) -> [Action] {
        switch phase {
        case .running(var progress):
            let error = fields.serverError(statement: progress.query.sql)
            if error.endsSession { return close(.server(error)) }
            progress.error = error  // the rest of the statement is skipped until ReadyForQuery
            phase = .running(progress)
            return []
        case .closed:
            return []
        default:
            // During start-up (a wrong password: 28P01) or when idle (an administrator ended the session: 57P01).
            return close(.server(fields.serverError(statement: nil)))
        }
    }

    private mutating func authenticate(_ message: BackendMessage, scram: SCRAMClient?) -> [Action] {
        guard case .authentication(let request) = message else {
            return violation("\(message.kind) before authentication finished")
        }
        switch request {
        case .ok:
            phase = .startingUp
            return []
        case .sasl(let mechanisms):
            guard mechanisms.contains(SCRAMClient.mechanism) else {
                return close(.authentication("the server offers \(mechanisms.joined(separator: ", ")); this client speaks SCRAM-SHA-256 only"))
            }
            guard let password = configuration.password else {
                return close(.authentication("the server wants a password for \(configuration.user) and the URL has none"))
            }
            let client: SCRAMClient
            if let scramNonce {
                client = SCRAMClient(password: password, clientNonce: scramNonce)
            } else {
                do { client = try SCRAMClient.random(password: password) } catch { return close(error) }
            }
            phase = .authenticating(client)
            return [.write(FrontendMessage.saslInitialResponse(mechanism: SCRAMClient.mechanism, data: client.clientFirstMessage))]
        case .saslContinue(let serverFirst):
            guard var client = scram else { return violation("a SCRAM challenge before SCRAM started") }
            do {
                let final = try client.clientFinalMessage(serverFirst: serverFirst)
                phase = .authenticating(client)
                return [.write(FrontendMessage.saslResponse(final))]
            } catch {
                return close(error)
            }
        case .saslFinal(let serverFinal):
            guard let client = scram else { return violation("a SCRAM outcome before SCRAM started") }
            do {
                try client.verify(serverFinal: serverFinal)
                return []  // AuthenticationOk follows
            } catch {
                return close(error)
            }
        case .cleartextPassword:
            return close(.authentication("the server asks for the password in clear text; this client speaks SCRAM-SHA-256 only (use scram-sha-256 in pg_hba.conf)"))
        case .md5Password:
            return close(.authentication("the server asks for an MD5 password; this client speaks SCRAM-SHA-256 only (set password_encryption = scram-sha-256, set the password again, and use scram-sha-256 in pg_hba.conf)"))
        case .other(let code):
            return close(.authentication("the server asks for authentication method \(code), which this client does not speak; use scram-sha-256 in pg_hba.conf"))
        }
    }

    private mutating func startUp(_ message: BackendMessage) -> [Action] {
        switch message {
        case .backendKeyData(let processID, _):
            backendProcessID = processID
            return []
        case .readyForQuery(let status):
            transactionStatus = status
            phase = .ready
            return [.connected]
        default:
            return violation("unexpected \(message.kind) during start-up")
        }
    }

    private mutating func run(_ message: BackendMessage, progress: inout Progress) -> [Action] {
        switch message {
        case .parseComplete, .bindComplete, .noData, .parameterDescription, .closeComplete:
            return []
        case .rowDescription(let columns):
            progress.columns = columns
            return []
        case .dataRow(let values):
            guard values.count == progress.columns.count else {
                return violation("a row of \(values.count) values for \(progress.columns.count) columns")
            }
            progress.rows.append(PostgresRow(columns: progress.columns, values: values))
            return []
        case .commandComplete(let tag):
            progress.commandTag = tag
            return []
        case .emptyQueryResponse:
            return []
        case .readyForQuery(let status):
            transactionStatus = status
            phase = .ready
            if let error = progress.error { return [.failed(.server(error))] }
            return [.finished(PostgresQueryResult(columns: progress.columns, rows: progress.rows, commandTag: progress.commandTag))]
        default:
            return violation("unexpected \(message.kind) while running a statement")
        }
    }

    // MARK: ending

    private mutating func close(_ error: PostgresError) -> [Action] {
        phase = .closed
        return [.close(error)]
    }

    private mutating func violation(_ detail: String) -> [Action] {
        if case .closed = phase { return [] }
        return close(.protocolViolation(detail))
    }

    private var phaseName: String {
        switch phase {
        case .initial: "not started"
        case .awaitingSSLAnswer: "waiting for the SSLRequest answer"
        case .authenticating: "authenticating"
        case .startingUp: "starting up"
        case .ready: "idle"
        case .running: "running a statement"
        case .closed: "closed"
        case .modifying: "running a statement"
        }
    }
}

extension BackendMessage {
    /// The message's name as the protocol documentation calls it, for error messages.
    var kind: String {
        switch self {
        case .authentication: "Authentication"
        case .parameterStatus: "ParameterStatus"
        case .backendKeyData: "BackendKeyData"
        case .readyForQuery: "ReadyForQuery"
        case .errorResponse: "ErrorResponse"
        case .noticeResponse: "NoticeResponse"
        case .notification: "NotificationResponse"
        case .parseComplete: "ParseComplete"
        case .bindComplete: "BindComplete"
        case .closeComplete: "CloseComplete"
        case .noData: "NoData"
        case .emptyQueryResponse: "EmptyQueryResponse"
        case .portalSuspended: "PortalSuspended"
        case .parameterDescription: "ParameterDescription"
        case .rowDescription: "RowDescription"
        case .dataRow: "DataRow"
        case .commandComplete: "CommandComplete"
        case .negotiateProtocolVersion: "NegotiateProtocolVersion"
        case .unsupported(let type): "message \(BackendMessageDecoder.name(type))"
        }
    }
}
