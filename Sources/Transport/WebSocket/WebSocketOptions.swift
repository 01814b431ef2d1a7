/// Limits and timeouts of one WebSocket connection.
public struct WebSocketOptions: Sendable, Equatable {
    /// DNS, TCP connect, TLS handshake and the HTTP upgrade together.
    public var connectTimeout: Duration
    /// Fail with a read timeout when nothing at all arrives for this long; nil waits forever
    /// (the Discord gateway has its own heartbeat watchdog).
    public var readTimeout: Duration?
    /// Fail when queued frames cannot be written for this long.
    public var writeTimeout: Duration
    /// How long to wait for the server's close frame and its TCP close after we sent ours.
    public var closeTimeout: Duration
    /// Largest message (after reassembly) accepted; bigger ones close the connection with 1009.
    public var maximumMessageSize: Int
    /// Received messages held for `receive()` before reading from the socket pauses (back-pressure).
    var maximumBufferedMessages: Int
    /// Certificate verification for wss://.
    public var tls: TLSOptions

    public init(
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration? = nil,
        writeTimeout: Duration = .seconds(10),
        closeTimeout: Duration = .seconds(5),
        maximumMessageSize: Int = 16 * 1024 * 1024,
        maximumBufferedMessages: Int = 1024,
        tls: TLSOptions = TLSOptions()
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.closeTimeout = closeTimeout
        self.maximumMessageSize = maximumMessageSize
        self.maximumBufferedMessages = maximumBufferedMessages
        self.tls = tls
    }
}
