import Cryptography
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The I/O thread of one WebSocket connection: connects, runs the opening handshake, then loops on
/// poll(2) over the socket and the wakeup pipe — writing queued frames, decoding what arrives and
/// answering pings. Whether the connection is open, closing (by whom, until when) or closed is
/// `WebSocketConnectionState`'s to say, in `state`; this loop only does the I/O it asks for.
/// Not Sendable: made on its I/O thread and used only there; what callers share with it lives in `state`.
final class WebSocketIOLoop {
    private let endpoint: WebSocketEndpoint
    private let headers: [(String, String)]
    private let options: WebSocketOptions
    private let tlsContext: TLSContext?
    let state: WebSocketSharedState

    private var stream: (any ByteStream)?
    private var decoder: WebSocketFrameDecoder
    private var assembler: WebSocketMessageAssembler
    private var pending: [OutboundFrame] = []
    private var pendingOffset = 0
    // Progress timers of the socket itself (the lifecycle's own deadlines are in `state`).
    private var readDeadline = Deadline.never
    private var writeDeadline = Deadline.never

    init(endpoint: WebSocketEndpoint, headers: [(String, String)], options: WebSocketOptions, tlsContext: TLSContext?, state: WebSocketSharedState) {
        self.endpoint = endpoint
        self.headers = headers
        self.options = options
        self.tlsContext = tlsContext
        self.state = state
        decoder = WebSocketFrameDecoder(role: .client, maximumFrameSize: options.maximumMessageSize)
        assembler = WebSocketMessageAssembler(maximumMessageSize: options.maximumMessageSize)
    }

    /// The thread body. `connected` is called exactly once, with the outcome of the opening handshake.
    func run(connected: (Result<Void, WebSocketError>) -> Void) {
        do {
            let initialBytes = try open()
            connected(.success(()))
            decode(initialBytes)
            serve()
        } catch {
            stream?.close()
            stream = nil
            state.end(error)
            connected(.failure(error))
        }
    }

    // MARK: opening handshake

    private func open() throws(WebSocketError) -> [UInt8] {
        let deadline = Deadline.after(options.connectTimeout)
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: endpoint.host, port: endpoint.port, timeout: options.connectTimeout)
            if let tlsContext {
                let name = options.tls.serverNameOverride ?? endpoint.host
                stream = try TLSStream.connect(socket: socket, host: name, context: tlsContext, deadline: deadline)
            } else {
                stream = socket
            }
        } catch {
            throw .transport(error)
        }
        guard let stream else { throw .connectionLost("no stream") }
        let key: String
        do { key = try WebSocketHandshake.makeKey() } catch { throw .randomUnavailable("\(error)") }
        let request = WebSocketHandshake.request(hostHeader: endpoint.hostHeader, target: endpoint.target, key: key, headers: headers)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        do {
            try stream.writeAll(request, deadline: deadline)
            while HandshakeHead.endIndex(in: received) == nil {
                guard received.count <= WebSocketHandshake.maximumHeadSize else {
                    throw WebSocketError.handshakeFailed("response head exceeds \(WebSocketHandshake.maximumHeadSize) bytes")
                }
                let count = try chunk.withUnsafeMutableBytes { (buffer) throws(TransportError) -> Int in
                    try stream.readSome(into: buffer, deadline: deadline)
                }
                guard count > 0 else {
                    throw WebSocketError.handshakeFailed("server closed the connection before answering the upgrade request")
                }
                received.append(contentsOf: chunk[0..<count])
            }
        } catch let error as TransportError {
            switch error {
            case .readTimedOut, .writeTimedOut:
                throw .handshakeFailed("no answer to the upgrade request within \(String(format: "%.1f", deadline.seconds)) s")
            default: throw .transport(error)
            }
        } catch let error as WebSocketError {
            throw error
        } catch {
            throw .handshakeFailed("\(error)")
        }
        guard let end = HandshakeHead.endIndex(in: received), let head = HandshakeHead(Array(received[0..<end])) else {
            throw .handshakeFailed("response is not HTTP")
        }
        try WebSocketHandshake.validate(head, key: key)
        return Array(received[end...])
    }

    // MARK: connected

    private func serve() {
        guard let stream else { return }
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        readDeadline = .after(options.readTimeout)
        var descriptors = [
            pollfd(fd: stream.fileDescriptor, events: 0, revents: 0),
            pollfd(fd: state.wakeup.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if let outcome = state.terminalError { return finish(outcome) }  // aborted by the application
            // Frames queued before closing began go out; our close frame is among them when the application closed.
            let commands = state.takeCommands()
            pending.append(contentsOf: commands.frames)
            switch state.tick() {
            case .sendClose(let frame)?: queueControl(.close, frame.payload)
            case .finish(let outcome)?: return finish(outcome)
            case nil: break
            }

            let writeInterest: IOInterest?
            do { writeInterest = try flush(stream) } catch { return fail(error) }
            // Once both close frames are exchanged we keep reading: the server closes TCP first
            // (RFC 6455 section 7.1.1), and the closing deadline bounds the wait.

            let lifecycle = state.lifecycle
            let wantRead = lifecycle.closeSent || !commands.inboxFull
            // While paused on a full inbox the server is not at fault for silence: restart the read timer.
            if !wantRead { readDeadline = .after(options.readTimeout) }
            var events: Int16 = 0
            if wantRead || writeInterest == .read { events |= Int16(POLLIN) }
            if writeInterest == .write { events |= Int16(POLLOUT) }
            descriptors[0].events = events
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            var deadline = min(writeDeadline, lifecycle.deadline)
            if !lifecycle.closeSent && wantRead { deadline = min(deadline, readDeadline) }
            let buffered = wantRead && stream.hasBufferedInput
            let ready = poll(&descriptors, 2, buffered ? 0 : deadline.pollTimeout)
            if ready < 0 && errno != EINTR {
                return fail(.system(call: "poll", errno: errno))
            }
            if descriptors[1].revents != 0 { state.wakeup.drain() }

            if wantRead && (buffered || descriptors[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0) {
                var rounds = 0
                readLoop: while rounds < 16 {
                    rounds += 1
                    let result: IOResult
                    do { result = try stream.read(into: buffer) } catch { return fail(error) }
                    switch result {
                    case .transferred(let count):
                        readDeadline = .after(options.readTimeout)
                        decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    case .endOfStream:
                        return finish(state.end { $0.endOfStream() })
                    case .wouldBlock:
                        break readLoop
                    }
                }
            }

            if !lifecycle.closeSent && wantRead && readDeadline.hasPassed {
                return finish(state.end(.transport(.readTimedOut(seconds: readDeadline.seconds))))
            }
            if writeDeadline.hasPassed { return finish(state.end(.transport(.writeTimedOut(seconds: writeDeadline.seconds)))) }
        }
    }

    /// Writes queued frames until done or the socket is full; returns what to wait for, if anything.
    private func flush(_ stream: any ByteStream) throws(TransportError) -> IOInterest? {
        while let frame = pending.first {
            let offset = pendingOffset
            let attempt = frame.bytes.withUnsafeBytes { bytes in
                Result { () throws(TransportError) -> IOResult in try stream.write(UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
            }
            switch try attempt.get() {
            case .transferred(let count):
                pendingOffset += count
                writeDeadline = .after(options.writeTimeout)
                if pendingOffset == frame.bytes.count {
                    pending.removeFirst()
                    pendingOffset = 0
                    frame.completion?.resume()
                }
            case .wouldBlock(let interest):
                if writeDeadline == .never { writeDeadline = .after(options.writeTimeout) }
                return interest
            case .endOfStream:
                throw .connectionLost(detail: "the server closed the connection while we were sending")
            }
        }
        writeDeadline = .never
        return nil
    }

    private func decode(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { decode($0) }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, !state.discardsInput else { return }
        decoder.append(bytes)
        do {
            while let frame = try decoder.nextFrame() {
                guard let event = try assembler.push(frame) else { continue }
                switch event {
                case .message(let message):
                    state.deliver(message)
                case .ping(let payload):
                    if state.deliversMessages { queueControl(.pong, payload) }
                case .pong:
                    break
                case .close(let frame):
                    if let answer = state.receivedClose(frame) { queueControl(.close, answer.payload) }
                    return  // nothing may follow a close frame
                }
            }
            if let partial = try decoder.partialFrame() {
                try assembler.inspectPartial(opcode: partial.opcode, payload: partial.payload)
            }
        } catch {
            // Failed once the application has seen the messages before the violation (and could answer
            // them); at the latest after the close timeout.
            state.violated(error)
        }
    }

    private func queueControl(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard let key = try? SecureRandom.bytes(4) else {
            return state.failSoon(.randomUnavailable("OpenSSL could not produce a masking key"))
        }
        pending.append(OutboundFrame(
            bytes: WebSocketFrameEncoder.encode(opcode: opcode.rawValue, payload: payload, maskingKey: key), completion: nil))
    }

    private func fail(_ error: TransportError) {
        finish(state.end { $0.transportFailed(error) })
    }

    /// Drops the socket once the connection has ended with `outcome` (already told to everyone waiting).
    private func finish(_ outcome: WebSocketError) {
        stream?.close()
        stream = nil
        for frame in pending { frame.completion?.resume(throwing: outcome) }
        pending.removeAll()
    }
}
