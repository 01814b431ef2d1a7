/// Bytes in, frames out: RFC 6455 section 5.2 framing, no sockets.
/// Feed whatever arrived with `append`, then call `nextFrame()` until it returns nil.
/// Header violations are reported as soon as the first two bytes are in (fail fast).
public struct WebSocketFrameDecoder: Sendable {
    /// Which side is decoding: a client expects unmasked frames, a server masked ones.
    public enum Role: Sendable { case client, server }

    public let role: Role
    /// Frames declaring a longer payload fail with `.messageTooBig` before the payload arrives.
    public let maximumFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0  // bytes before `start` are consumed

    public init(role: Role, maximumFrameSize: Int) {
        self.role = role
        self.maximumFrameSize = maximumFrameSize
    }

    /// Bytes received but not yet returned as frames.
    var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next complete frame, nil when more bytes are needed.
    public mutating func nextFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        guard let header = try parseHeader() else { return nil }
        let maskLength = header.masked ? 4 : 0
        guard buffer.count - start >= header.length + maskLength + header.payloadLength else { return nil }
        let payloadStart = start + header.length + maskLength
        var payload = Array(buffer[payloadStart..<(payloadStart + header.payloadLength)])
        var key: [UInt8]?
        if header.masked {
            let maskingKey = Array(buffer[(start + header.length)..<payloadStart])
            WebSocketMasking.apply(key: maskingKey, to: &payload)
            key = maskingKey
        }
        start = payloadStart + header.payloadLength
        return WebSocketFrame(fin: header.fin, reservedBits: 0, opcode: header.opcode, payload: payload, maskingKey: key)
    }

    /// The frame still arriving: its opcode and the payload bytes received so far. Lets a client
    /// validate a long text frame while it streams in (fail fast). Nil for masked frames or an incomplete header.
    func partialFrame() throws(WebSocketProtocolError) -> (opcode: WebSocketOpcode, payload: ArraySlice<UInt8>)? {
        guard let header = try parseHeader(), !header.masked else { return nil }
        let payloadStart = start + header.length
        let available = min(buffer.count - payloadStart, header.payloadLength)
        return (header.opcode, buffer[payloadStart..<(payloadStart + available)])
    }

    private struct Header {
        var fin: Bool
        var opcode: WebSocketOpcode
        var masked: Bool
        var length: Int         // header bytes before the masking key
        var payloadLength: Int
    }

    /// Parses and validates the header at `start`, nil until all of it has arrived.
    private func parseHeader() throws(WebSocketProtocolError) -> Header? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let first = buffer[start]
        let second = buffer[start + 1]
        let fin = first & 0x80 != 0
        let reservedBits = (first >> 4) & 0x7
        guard reservedBits == 0 else { throw .reservedBitsSet(reservedBits) }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { throw .reservedOpcode(first & 0x0F) }
        let masked = second & 0x80 != 0
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            guard fin else { throw .fragmentedControlFrame(opcode) }
            guard shortLength <= 125 else { throw .controlFrameTooLong(shortLength) }
        }
        switch role {
        case .client: guard !masked else { throw .maskedFrameFromServer }
        case .server: guard masked else { throw .unmaskedFrameFromClient }
        }
        var headerLength = 2
        var length = shortLength
        if shortLength == 126 {
            guard available >= 4 else { return nil }
            length = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            guard length >= 126 else { throw .nonMinimalLengthEncoding }
            headerLength = 4
        } else if shortLength == 127 {
            guard available >= 10 else { return nil }
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(buffer[start + 2 + index]) }
            guard value >> 63 == 0 else { throw .lengthTooLarge }
            guard value > 0xFFFF else { throw .nonMinimalLengthEncoding }
            guard value <= UInt64(maximumFrameSize) else { throw .messageTooBig(limit: maximumFrameSize) }
            length = Int(value)
            headerLength = 10
        }
        guard length <= maximumFrameSize else { throw .messageTooBig(limit: maximumFrameSize) }
        return Header(fin: fin, opcode: opcode, masked: masked, length: headerLength, payloadLength: length)
    }

    /// Drops consumed bytes once they are the bigger part of the buffer, so a long stream stays linear.
    private mutating func compactIfWorthIt() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
