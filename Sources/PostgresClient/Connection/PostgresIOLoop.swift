import Foundation
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The I/O thread of one connection: connects (TCP, SSLRequest, TLS), runs start-up and authentication,
/// then loops on poll(2) over the socket and the wakeup pipe, sending one statement at a time and reading
/// everything the server sends (results, errors, NOTIFY). What the protocol means is the state machine's to
/// say; this loop only does the I/O it asks for. Not Sendable: made on its thread and used only there.
final class PostgresIOLoop {
    private let configuration: PostgresConfiguration
    private let options: PostgresConnectionOptions
    private let tlsContext: TLSContext?
    private let state: PostgresSharedState
    private var machine: PostgresConnectionMachine
    private var decoder: BackendMessageDecoder
    private var stream: (any ByteStream)?
    private var socket: TCPSocket?
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var current: PendingStatement?
    private var statementDeadline = Deadline.never
    private var ended: PostgresError?
    private var connected = false

    init(configuration: PostgresConfiguration, options: PostgresConnectionOptions, tlsContext: TLSContext?, state: PostgresSharedState) {
        self.configuration = configuration
        self.options = options
        self.tlsContext = tlsContext
        self.state = state
        machine = PostgresConnectionMachine(configuration: configuration)
        decoder = BackendMessageDecoder(maximumMessageSize: options.maximumMessageSize)
    }

    /// The thread body. `opened` is called exactly once, with the server's process ID or why start-up failed.
    func run(opened: (Result<Int32?, PostgresError>) -> Void) {
        do {
            try open()
            opened(.success(machine.backendProcessID))
            serve()
        } catch {
            finish(error)
            opened(.failure(error))
        }
    }

    // MARK: start-up (blocking, bounded by the connect timeout)

    private func open() throws(PostgresError) {
        let deadline = Deadline.after(configuration.connectTimeout)
        do {
            let tcp = try TCPSocket.connect(host: configuration.host, port: configuration.port, timeout: configuration.connectTimeout)
            socket = tcp
            stream = tcp
        } catch {
            throw .transport(error)
        }
        try perform(machine.start(), deadline: deadline)
        if configuration.sslMode != .disable {
            // Exactly one byte: anything the server sent after it would belong to the TLS handshake.
            var answer: [UInt8] = [0]
            let count = try read(into: &answer, deadline: deadline)
            try perform(count == 0 ? machine.endOfStream() : machine.sslAnswer(answer[0]), deadline: deadline)
        }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !connected {
            if let ended { throw ended }
            let count = try read(into: &buffer, deadline: deadline)
            if count == 0 {
                try perform(machine.endOfStream(), deadline: deadline)
                continue
            }
            decoder.append(Array(buffer[0..<count]))
            while !connected, ended == nil, let message = try decoder.next() {
                try perform(machine.receive(message), deadline: deadline)
            }
        }
    }

    private func read(into buffer: inout [UInt8], deadline: Deadline) throws(PostgresError) -> Int {
        guard let stream else { throw .connectionClosed("no socket") }
        let attempt = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(TransportError) -> Int in try stream.readSome(into: raw, deadline: deadline) }
        }
        do throws(TransportError) {
            return try attempt.get()
        } catch {
            switch error {
            case .readTimedOut, .writeTimedOut:
                throw .timedOut("start-up with \(configuration.host):\(configuration.port) took more than \(String(format: "%.0f", deadline.seconds)) s")
            default: throw .transport(error)
            }
        }
    }

    /// Start-up actions, done at once with blocking writes.
    private func perform(_ actions: [PostgresConnectionMachine.Action], deadline: Deadline) throws(PostgresError) {
        for action in actions {
            switch action {
            case .write(let bytes):
                guard let stream else { throw .connectionClosed("no socket") }
                do { try stream.writeAll(bytes, deadline: deadline) } catch { throw .transport(error) }
            case .startTLS:
                guard let socket, let tlsContext else { throw .protocolViolation("TLS asked for without a TLS context") }
                do {
                    stream = try TLSStream.connect(socket: socket, host: configuration.host, context: tlsContext, deadline: deadline)
                } catch {
                    throw .transport(error)
                }
                try perform(machine.tlsEstablished(), deadline: deadline)
            case .connected:
                connected = true
                state.update(transactionStatus: machine.transactionStatus)
            case .notify(let notification):
                state.notifications.yield(notification)
            case .close(let error):
                ended = error
                throw error
            case .finished, .failed:
                throw .protocolViolation("a statement result during start-up")
            }
        }
    }

    // MARK: connected

    private func serve() {
        guard let stream else { return }
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: stream.fileDescriptor, events: 0, revents: 0),
            pollfd(fd: state.wakeup.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        while ended == nil {
            if machine.isReady && current == nil {
                switch state.next() {
                case .statement(let statement):
                    current = statement
                    statementDeadline = .after(options.statementTimeout)
                    handle(machine.send(statement.query))
                case .close:
                    pending += FrontendMessage.terminate()
                    _ = try? flush(stream)
                    return finish(.connectionClosed("closed by this program"))
                case .stop:
                    return finish(state.outcome ?? .connectionClosed("closed by this program"))
                case .wait:
                    break
                }
            } else if let outcome = state.outcome {
                return finish(outcome)  // aborted by the application while a statement ran
            }
            if ended != nil { break }

            let writeInterest: IOInterest?
            do { writeInterest = try flush(stream) } catch { return fail(error) }
            var events = Int16(POLLIN)
            if writeInterest == .write { events |= Int16(POLLOUT) }
            descriptors[0].events = events
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let deadline = machine.isRunning ? statementDeadline : Deadline.never
            let ready = poll(&descriptors, 2, stream.hasBufferedInput ? 0 : deadline.pollTimeout)
            if ready < 0 && errno != EINTR { return fail(.system(call: "poll", errno: errno)) }
            if descriptors[1].revents != 0 { state.wakeup.drain() }

            if stream.hasBufferedInput || descriptors[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                readLoop: for _ in 0..<16 {
                    let result: IOResult
                    do { result = try stream.read(into: buffer) } catch { return fail(error) }
                    switch result {
                    case .transferred(let count):
                        statementDeadline = .after(options.statementTimeout)
                        decoder.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                        do {
                            while ended == nil, let message = try decoder.next() { handle(machine.receive(message)) }
                        } catch {
                            handle(machine.abandon(error))
                        }
                        if ended != nil { break readLoop }
                    case .endOfStream:
                        handle(machine.endOfStream())
                        break readLoop
                    case .wouldBlock:
                        break readLoop
                    }
                }
            }
            if ended == nil && machine.isRunning && statementDeadline.hasPassed {
                handle(machine.abandon(.timedOut("no answer to a statement for \(String(format: "%.0f", statementDeadline.seconds)) s; the connection was dropped")))
            }
        }
    }

    /// Actions once connected: writes are queued for the non-blocking flush.
    private func handle(_ actions: [PostgresConnectionMachine.Action]) {
        for action in actions {
            switch action {
            case .write(let bytes):
                pending += bytes
            case .finished(let result):
                state.update(transactionStatus: machine.transactionStatus)
                current?.complete(.success(result))
                current = nil
            case .failed(let error):
                state.update(transactionStatus: machine.transactionStatus)
                current?.complete(.failure(error))
                current = nil
            case .notify(let notification):
                state.notifications.yield(notification)
            case .close(let error):
                finish(error)
            case .startTLS, .connected:
                finish(.protocolViolation("start-up step after start-up"))
            }
        }
    }

    private func fail(_ error: TransportError) {
        handle(machine.abandon(.transport(error)))
        if ended == nil { finish(.transport(error)) }
    }

    /// Writes what is queued until done or the socket is full; returns what to wait for, if anything.
    private func flush(_ stream: any ByteStream) throws(TransportError) -> IOInterest? {
        while pendingOffset < pending.count {
            let offset = pendingOffset
            let attempt = pending.withUnsafeBytes { bytes in
                Result { () throws(TransportError) -> IOResult in try stream.write(UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
            }
            switch try attempt.get() {
            case .transferred(let count): pendingOffset += count
            case .wouldBlock(let interest): return interest
            case .endOfStream: throw .connectionLost(detail: "the server closed the connection while we were sending")
            }
        }
        pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
        pendingOffset = 0
        return nil
    }

    /// The connection is over: the statement in flight and everyone queued learn why, the socket goes.
    private func finish(_ error: PostgresError) {
        guard ended == nil || stream != nil else { return }
        ended = ended ?? error
        current?.complete(.failure(error))
        current = nil
        state.end(error)
        stream?.close()
        stream = nil
        socket = nil
    }
}
