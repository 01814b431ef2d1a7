/// The lifecycle of one WebSocket connection after the opening handshake, with no I/O: open, failing
/// (the server broke the protocol), closing (who started it and until when we wait), closed (how it ended).
/// Callers (close, abort, receive) and the I/O thread (what arrived, time passing) feed it events;
/// it answers with what to do. Time is a parameter (`now`, monotonic nanoseconds), so tests advance it.
///
///     open ──close requested / server close frame──────────────→ closing(by:) ──both closes, TCP end or deadline──→ closed
///       └──protocol violation──→ failing ──application caught up or deadline──↗
///     any ──abort, transport error, timeout──→ closed
struct WebSocketConnectionState: Sendable, Equatable {
    /// Who started the close handshake, which decides how the connection is reported to have ended.
    enum Closer: Sendable, Equatable {
        /// The application called `close`.
        case client
        /// The server sent a close frame first.
        case server
        /// The server broke RFC 6455; we close with the violation's code.
        case violation(WebSocketProtocolError)
        /// We could not go on (no random bytes for a mask); the connection ends with this error.
        case failure(WebSocketError)
    }

    enum Lifecycle: Sendable, Equatable {
        case open
        /// The server broke the protocol after messages the application may not have taken yet. We close
        /// once it has taken them and asks for more (so its replies to them still go out), or at `deadline`.
        case failing(WebSocketProtocolError, deadline: Deadline, caughtUp: Bool)
        /// Our close frame is queued; we wait for the server's close frame and its TCP close until `deadline`.
        case closing(by: Closer, deadline: Deadline, serverClose: WebSocketCloseFrame?)
        case closed(WebSocketError, serverClose: WebSocketCloseFrame?)
    }

    /// What the I/O thread must do after a tick.
    enum TickAction: Sendable, Equatable {
        /// Queue this close frame: the closing handshake starts.
        case sendClose(WebSocketCloseFrame)
        /// End the connection with this outcome.
        case finish(WebSocketError)
    }

    private(set) var lifecycle: Lifecycle = .open
    let closeTimeout: Duration

    init(closeTimeout: Duration) {
        self.closeTimeout = closeTimeout
    }

    // MARK: - Questions the callers and the I/O thread ask

    /// Sends are accepted until our close frame is queued.
    var acceptsSends: Bool {
        switch lifecycle {
        case .open, .failing: true
        case .closing, .closed: false
        }
    }

    /// Received messages go to the application and pings are answered only before our close frame.
    var deliversMessages: Bool { acceptsSends }

    /// Nothing may follow a close frame or a violation: later bytes are not even decoded.
    var discardsInput: Bool {
        switch lifecycle {
        case .open: return false
        case .failing, .closed: return true
        case .closing(let closer, _, let serverClose):
            if serverClose != nil { return true }
            if case .violation = closer { return true }
            return false
        }
    }

    /// Our close frame is queued (or the connection is over): silence from the server is expected now.
    var closeSent: Bool { !acceptsSends }

    /// The next moment this machine has something to do on its own (`tick`).
    var deadline: Deadline {
        switch lifecycle {
        case .open, .closed: .never
        case .failing(_, let deadline, let caughtUp): caughtUp ? .passed : deadline
        case .closing(_, let deadline, _): deadline
        }
    }

    /// The close frame the server sent, once it has.
    var serverClose: WebSocketCloseFrame? {
        switch lifecycle {
        case .open, .failing: nil
        case .closing(_, _, let frame), .closed(_, let frame): frame
        }
    }

    /// How the connection ended, once it has.
    var outcome: WebSocketError? {
        if case .closed(let error, _) = lifecycle { return error }
        return nil
    }

    // MARK: - Callers

    /// The application asks to close. Returns true when its close frame should be queued (nothing was yet).
    mutating func requestClose(now: UInt64) -> Bool {
        switch lifecycle {
        case .open:
            lifecycle = .closing(by: .client, deadline: .after(closeTimeout, from: now), serverClose: nil)
            return true
        case .failing(let violation, _, _):
            // The violation still decides the outcome; the application's close frame goes out instead of ours.
            lifecycle = .closing(by: .violation(violation), deadline: .after(closeTimeout, from: now), serverClose: nil)
            return true
        case .closing, .closed:
            return false
        }
    }

    /// The application is waiting for a message and has taken everything before a violation. Returns true
    /// when this is news the I/O thread should wake up for.
    mutating func applicationCaughtUp() -> Bool {
        guard case .failing(let violation, let deadline, false) = lifecycle else { return false }
        lifecycle = .failing(violation, deadline: deadline, caughtUp: true)
        return true
    }

    // MARK: - The I/O thread

    /// The server's close frame arrived. Returns the frame to answer with, if we have not sent ours yet.
    mutating func receivedClose(_ frame: WebSocketCloseFrame, now: UInt64) -> WebSocketCloseFrame? {
        switch lifecycle {
        case .open:
            lifecycle = .closing(by: .server, deadline: .after(closeTimeout, from: now), serverClose: frame)
            return WebSocketCloseFrame(code: frame.code)
        case .closing(let closer, let deadline, nil):
            lifecycle = .closing(by: closer, deadline: deadline, serverClose: frame)
            return nil
        case .failing, .closing, .closed:
            return nil  // input is discarded in these states; nothing is decoded to get here
        }
    }

    /// The server broke the protocol. `caughtUp`: the application has taken every message and is waiting.
    mutating func violated(_ violation: WebSocketProtocolError, caughtUp: Bool, now: UInt64) {
        switch lifecycle {
        case .open:
            lifecycle = .failing(violation, deadline: .after(closeTimeout, from: now), caughtUp: caughtUp)
        case .closing(.client, let deadline, let serverClose), .closing(.server, let deadline, let serverClose):
            lifecycle = .closing(by: .violation(violation), deadline: deadline, serverClose: serverClose)
        case .failing, .closing, .closed:
            break
        }
    }

    /// We cannot go on (e.g. no random bytes for a mask): end as soon as the I/O thread ticks.
    mutating func failSoon(_ error: WebSocketError, now: UInt64) {
        switch lifecycle {
        case .open, .failing, .closing:
            lifecycle = .closing(by: .failure(error), deadline: .after(.zero, from: now), serverClose: serverClose)
        case .closed:
            break
        }
    }

    /// Time passed: start the close handshake of a violation, or give up waiting for the server's close.
    mutating func tick(now: UInt64) -> TickAction? {
        switch lifecycle {
        case .failing(let violation, let deadline, let caughtUp):
            guard caughtUp || deadline.hasPassed(at: now) else { return nil }
            lifecycle = .closing(by: .violation(violation), deadline: .after(closeTimeout, from: now), serverClose: nil)
            return .sendClose(WebSocketCloseFrame(code: violation.closeCode, reason: violation.description))
        case .closing(_, let deadline, _):
            guard deadline.hasPassed(at: now) else { return nil }
            return .finish(finish(closingOutcome))
        case .open, .closed:
            return nil
        }
    }

    /// The server closed TCP. Returns how the connection ended.
    mutating func endOfStream() -> WebSocketError {
        switch lifecycle {
        case .open: finish(.connectionLost("the server closed the TCP connection without a close frame"))
        case .failing, .closing: finish(closingOutcome)
        case .closed(let error, _): error
        }
    }

    /// Reading or writing failed. Returns how the connection ended.
    mutating func transportFailed(_ error: TransportError) -> WebSocketError {
        switch lifecycle {
        case .open:
            if case .connectionLost(let detail) = error { return finish(.connectionLost(detail)) }
            return finish(.transport(error))
        case .failing, .closing: return finish(closingOutcome)
        case .closed(let error, _): return error
        }
    }

    /// Ends the connection now with `error` (abort, a timeout); the first ending wins. Returns how it ended.
    @discardableResult
    mutating func finish(_ error: WebSocketError) -> WebSocketError {
        if case .closed(let first, _) = lifecycle { return first }
        lifecycle = .closed(error, serverClose: serverClose)
        return error
    }

    /// How a connection that started closing ends: what the closer implies.
    private var closingOutcome: WebSocketError {
        switch lifecycle {
        case .failing(let violation, _, _):
            return .protocolViolation(violation)
        case .closing(let closer, _, let serverClose):
            switch closer {
            case .client: return .closed(serverClose: serverClose, initiatedByClient: true)
            case .server: return .closed(serverClose: serverClose, initiatedByClient: false)
            case .violation(let violation): return .protocolViolation(violation)
            case .failure(let error): return error
            }
        case .closed(let error, _):
            return error
        case .open:
            return .connectionLost("the connection ended before closing started")
        }
    }
}
