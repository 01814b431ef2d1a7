import Transport

/// Everything that can go wrong talking to PostgreSQL, each with a message an operator can act on.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DNS, TCP or TLS below the protocol (certificate checks included).
    case transport(TransportError)
    /// sslmode asks for TLS and the server answered that it has none.
    case serverRefusedTLS(host: String)
    /// An authentication method this client does not speak, or a server that failed to prove it knows the password.
    case authentication(String)
    /// The server reported an error (ErrorResponse): SQLSTATE, message, detail, statement.
    case server(PostgresServerError)
    /// The connection has ended (the cause is said); open a new one, or let the pool do it.
    case connectionClosed(String)
    /// The server sent something the protocol does not allow here.
    case protocolViolation(String)
    /// A statement that cannot be sent (NUL in the SQL, too many parameters).
    case invalidQuery(String)
    /// No answer within the timeout; the connection was dropped.
    case timedOut(String)
    /// A column value is not of the type asked for.
    case decoding(String)
    /// The pool could not hand out a connection in time.
    case poolTimedOut(seconds: Double)
    /// The pool has been shut down.
    case poolClosed

    public var description: String {
        switch self {
        case .transport(let error): "PostgreSQL connection failed: \(error)"
        case .serverRefusedTLS(let host):
            "the PostgreSQL server at \(host) does not accept TLS; turn on ssl in postgresql.conf, or use sslmode=disable for a server on this machine"
        case .authentication(let reason): "PostgreSQL authentication failed: \(reason)"
        case .server(let error): error.description
        case .connectionClosed(let reason): "the PostgreSQL connection is closed: \(reason)"
        case .protocolViolation(let detail): "PostgreSQL protocol violation: \(detail)"
        case .invalidQuery(let reason): "cannot send this statement: \(reason)"
        case .timedOut(let what): "PostgreSQL did not answer in time: \(what)"
        case .decoding(let detail): "cannot read a PostgreSQL value: \(detail)"
        case .poolTimedOut(let seconds):
            "no PostgreSQL connection became free within \(seconds) s; the pool is too small for the load or the server is slow"
        case .poolClosed: "the PostgreSQL connection pool is shut down"
        }
    }

    /// The server's SQLSTATE, when the server reported the error.
    public var sqlState: String? {
        if case .server(let error) = self { return error.sqlState }
        return nil
    }
}
