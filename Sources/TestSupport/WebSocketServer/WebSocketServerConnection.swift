import Foundation
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The server side of one test WebSocket connection, with a blocking API for test handlers.
/// Sends may come from any thread (one frame at a time); receives should come from one thread.
public final class WebSocketServerConnection: @unchecked Sendable {
    // Safe: `stream` is only touched under `streamLock`; the decoder/assembler only under `readLock`;
    // whole-frame writes are serialised by `writeLock`; `closed` is guarded by `streamLock`.
    private let streamLock = NSLock()
    private let readLock = NSLock()
    private let writeLock = NSLock()
    private let stream: any ByteStream
    private var closed = false
    private var decoder = WebSocketFrameDecoder(role: .server, maximumFrameSize: 64 * 1024 * 1024)
    private var assembler = WebSocketMessageAssembler(maximumMessageSize: 64 * 1024 * 1024)
    private let fileDescriptor: Int32

    /// 0 for the server's first connection, 1 for the second, …
    public let index: Int
    /// The client's opening request.
    public let request: HandshakeHead

    /// The request target ("/?v=10&encoding=json").
    public var path: String {
        let parts = request.startLine.split(separator: " ")
        return parts.count >= 2 ? String(parts[1]) : ""
    }

    init(stream: any ByteStream, index: Int, request: HandshakeHead, leftover: [UInt8]) {
        self.stream = stream
        self.index = index
        self.request = request
        fileDescriptor = stream.fileDescriptor
        decoder.append(leftover)
    }

    // MARK: sending

    public func send(text: String) throws { try sendFrame(opcode: WebSocketOpcode.text.rawValue, payload: Array(text.utf8)) }
    public func send(binary: [UInt8]) throws { try sendFrame(opcode: WebSocketOpcode.binary.rawValue, payload: binary) }
    public func sendPing(_ payload: [UInt8] = []) throws { try sendFrame(opcode: WebSocketOpcode.ping.rawValue, payload: payload) }
    public func sendPong(_ payload: [UInt8] = []) throws { try sendFrame(opcode: WebSocketOpcode.pong.rawValue, payload: payload) }

    /// Sends a close frame (code nil sends an empty payload) without waiting for the answer.
    public func sendClose(code: UInt16?, reason: String = "") throws {
        var payload: [UInt8] = []
        if let code { payload = [UInt8(code >> 8), UInt8(code & 0xff)] + Array(reason.utf8) }
        try sendFrame(opcode: WebSocketOpcode.close.rawValue, payload: payload)
    }

    /// Sends any frame, including invalid ones (reserved opcodes, RSV bits, masked, oversize control).
    public func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, reservedBits: UInt8 = 0, maskingKey: [UInt8]? = nil) throws {
        try sendRaw(WebSocketFrameEncoder.encode(fin: fin, reservedBits: reservedBits, opcode: opcode, payload: payload, maskingKey: maskingKey))
    }

    /// Writes bytes exactly as given.
    public func sendRaw(_ bytes: [UInt8], timeout: Duration = .seconds(10)) throws {
        writeLock.lock()
        defer { writeLock.unlock() }
        let deadline = Deadline.after(timeout)
        var offset = 0
        while offset < bytes.count {
            let result = try withStream { stream throws(TransportError) in
                try bytes.withUnsafeBytes { buffer in
                    Result { () throws(TransportError) -> IOResult in try stream.write(UnsafeRawBufferPointer(rebasing: buffer[offset...])) }
                }.get()
            }
            switch result {
            case .transferred(let count): offset += count
            case .endOfStream: throw WebSocketTestServerError.connectionClosed
            case .wouldBlock(let interest):
                do { try Poller.wait(fileDescriptor, for: interest, until: deadline) } catch { throw WebSocketTestServerError.timedOut(waitingFor: "the client to read") }
            }
        }
    }

    // MARK: receiving

    /// The next frame exactly as the client sent it (payload unmasked, masking key kept), no reassembly.
    public func receiveFrame(timeout: Duration = .seconds(60)) throws -> WebSocketFrame {
        readLock.lock()
        defer { readLock.unlock() }
        return try nextFrameLocked(deadline: .after(timeout))
    }

    /// The next event after reassembly: a whole message, a ping, a pong or a close.
    public func receive(timeout: Duration = .seconds(60)) throws -> WebSocketServerEvent {
        readLock.lock()
        defer { readLock.unlock() }
        let deadline = Deadline.after(timeout)
        while true {
            let frame = try nextFrameLocked(deadline: deadline)
            let event: WebSocketMessageAssembler.Event?
            do { event = try assembler.push(frame) } catch { throw WebSocketTestServerError.protocolViolation(error) }
            switch event {
            case .none: continue
            case .message(.text(let text)): return .text(text)
            case .message(.binary(let bytes)): return .binary(bytes)
            case .ping(let payload): return .ping(payload)
            case .pong(let payload): return .pong(payload)
            case .close(let frame): return .close(frame)
            }
        }
    }

    /// The next data message; answers pings, skips pongs. On the client's close frame it answers with
    /// the same code (completing the close handshake) and throws `.clientClosed`.
    public func receiveMessage(timeout: Duration = .seconds(60)) throws -> WebSocketMessage {
        let deadline = Deadline.after(timeout)
        while true {
            let remaining = Duration.nanoseconds(Int64(max(0, deadline.nanoseconds &- Deadline.now())))
            switch try receive(timeout: remaining) {
            case .text(let text): return .text(text)
            case .binary(let bytes): return .binary(bytes)
            case .ping(let payload): try sendPong(payload)
            case .pong: continue
            case .close(let frame):
                try? sendClose(code: frame.code)
                throw WebSocketTestServerError.clientClosed(frame)
            }
        }
    }

    /// The next message, which must be text.
    public func receiveText(timeout: Duration = .seconds(60)) throws -> String {
        switch try receiveMessage(timeout: timeout) {
        case .text(let text): return text
        case .binary(let bytes): throw WebSocketTestServerError.unexpected("binary message of \(bytes.count) bytes instead of text")
        }
    }

    /// Reads until the client's close frame and returns it (messages before it are dropped).
    public func receiveClose(timeout: Duration = .seconds(60)) throws -> WebSocketCloseFrame {
        let deadline = Deadline.after(timeout)
        while true {
            let remaining = Duration.nanoseconds(Int64(max(0, deadline.nanoseconds &- Deadline.now())))
            if case .close(let frame) = try receive(timeout: remaining) { return frame }
        }
    }

    /// Server-initiated close handshake: sends the close frame, waits for the client's, closes TCP.
    @discardableResult
    public func close(code: UInt16? = 1000, reason: String = "", timeout: Duration = .seconds(60)) throws -> WebSocketCloseFrame {
        try sendClose(code: code, reason: reason)
        defer { drop() }
        return try receiveClose(timeout: timeout)
    }

    /// True once the client has closed its side (end of stream) within `timeout`; bytes are discarded.
    public func waitForDisconnect(timeout: Duration = .seconds(60)) -> Bool {
        readLock.lock()
        defer { readLock.unlock() }
        let deadline = Deadline.after(timeout)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            let result: IOResult
            do {
                result = try withStream { stream throws(TransportError) in
                    try scratch.withUnsafeMutableBytes { buffer in
                        Result { () throws(TransportError) -> IOResult in try stream.read(into: buffer) }
                    }.get()
                }
            } catch {
                return true
            }
            switch result {
            case .transferred: continue
            case .endOfStream: return true
            case .wouldBlock(let interest):
                do { try Poller.wait(fileDescriptor, for: interest, until: deadline) } catch { return false }
            }
        }
    }

    /// Ends the TCP connection at once, with no close frame and no TLS close_notify.
    public func drop() {
        streamLock.lock()
        defer { streamLock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fileDescriptor, Int32(SHUT_RDWR))
    }

    /// Called when the handler returns: releases the socket.
    func finish() {
        drop()
        streamLock.lock()
        defer { streamLock.unlock() }
        stream.close()
    }

    private func nextFrameLocked(deadline: Deadline) throws -> WebSocketFrame {
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                if let frame = try decoder.nextFrame() { return frame }
            } catch {
                throw WebSocketTestServerError.protocolViolation(error)
            }
            let result = try withStream { stream throws(TransportError) in
                try scratch.withUnsafeMutableBytes { buffer in
                    Result { () throws(TransportError) -> IOResult in try stream.read(into: buffer) }
                }.get()
            }
            switch result {
            case .transferred(let count): decoder.append(Array(scratch[0..<count]))
            case .endOfStream: throw WebSocketTestServerError.connectionClosed
            case .wouldBlock(let interest):
                do { try Poller.wait(fileDescriptor, for: interest, until: deadline) } catch { throw WebSocketTestServerError.timedOut(waitingFor: "a frame from the client") }
            }
        }
    }

    private func withStream<T>(_ body: (any ByteStream) throws(TransportError) -> T) throws -> T {
        streamLock.lock()
        defer { streamLock.unlock() }
        guard !closed else { throw WebSocketTestServerError.connectionClosed }
        do { return try body(stream) } catch { throw WebSocketTestServerError.transport(error) }
    }
}
