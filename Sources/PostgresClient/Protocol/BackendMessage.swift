/// The messages a server sends that this client understands (protocol v3).
enum BackendMessage: Sendable, Equatable {
    case authentication(Authentication)
    case parameterStatus(name: String, value: String)
    case backendKeyData(processID: Int32, secretKey: Int32)
    case readyForQuery(TransactionStatus)
    case errorResponse(PostgresErrorFields)
    case noticeResponse(PostgresErrorFields)
    case notification(PostgresNotification)
    case parseComplete
    case bindComplete
    case closeComplete
    case noData
    case emptyQueryResponse
    case portalSuspended
    case parameterDescription([UInt32])
    case rowDescription([PostgresColumn])
    case dataRow([[UInt8]?])
    case commandComplete(tag: String)
    case negotiateProtocolVersion(minor: Int32, unsupportedOptions: [String])
    /// COPY and function-call answers: never asked for, so never expected.
    case unsupported(type: UInt8)

    enum Authentication: Sendable, Equatable {
        case ok
        case cleartextPassword
        case md5Password(salt: [UInt8])
        case sasl(mechanisms: [String])
        case saslContinue([UInt8])
        case saslFinal([UInt8])
        case other(code: Int32)
    }
}

/// The transaction state the server reports with each ReadyForQuery.
public enum TransactionStatus: UInt8, Sendable, Equatable {
    /// Not in a transaction block.
    case idle = 73           // 'I'
    /// In a transaction block.
    case inTransaction = 84  // 'T'
    /// In a failed transaction block: every statement fails until ROLLBACK.
    case failed = 69         // 'E'
}

/// A column of a result: its name and type OID.
public struct PostgresColumn: Sendable, Equatable {
    public let name: String
    public let typeOID: UInt32
}

/// A NOTIFY delivered to a connection that LISTENs on its channel.
public struct PostgresNotification: Sendable, Equatable {
    /// The server process that sent it.
    public let processID: Int32
    public let channel: String
    public let payload: String
}
