/// Frames in, events out: reassembles fragmented messages, validates text incrementally (fail fast),
/// enforces the maximum message size and parses close frames. No sockets.
public struct WebSocketMessageAssembler: Sendable {
    public enum Event: Sendable, Equatable {
        case message(WebSocketMessage)
        case ping([UInt8])
        case pong([UInt8])
        case close(WebSocketCloseFrame)
    }

    public let maximumMessageSize: Int
    private var fragmentOpcode: WebSocketOpcode?  // .text or .binary while a fragmented message is open
    private var fragments: [UInt8] = []
    private var validator = UTF8Validator()
    private var partialValidator = UTF8Validator()  // runs ahead over a text frame still arriving
    private var partialChecked = 0                  // bytes of that frame it has seen

    public init(maximumMessageSize: Int) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// True while a fragmented message is waiting for its continuation frames.
    var isInsideFragmentedMessage: Bool { fragmentOpcode != nil }

    /// Consumes one frame; returns an event when the frame completes one.
    public mutating func push(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> Event? {
        if !frame.opcode.isControl { partialChecked = 0 }
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return .close(try WebSocketCloseFrame.parse(frame.payload))
        case .text, .binary:
            if fragmentOpcode != nil { throw .expectedContinuation(frame.opcode) }
            guard frame.payload.count <= maximumMessageSize else { throw .messageTooBig(limit: maximumMessageSize) }
            if frame.opcode == .text {
                validator = UTF8Validator()
                guard validator.feed(frame.payload) else { throw .invalidUTF8 }
            }
            if frame.fin {
                return .message(try complete(frame.opcode, frame.payload))
            }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            guard let opcode = fragmentOpcode else { throw .unexpectedContinuation }
            guard fragments.count + frame.payload.count <= maximumMessageSize else { throw .messageTooBig(limit: maximumMessageSize) }
            if opcode == .text {
                guard validator.feed(frame.payload) else { throw .invalidUTF8 }
            }
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return nil }
            let payload = fragments
            fragments = []
            fragmentOpcode = nil
            return .message(try complete(opcode, payload))
        }
    }

    /// Validates the received part of a text frame still arriving, so invalid UTF-8 fails before the
    /// frame is complete. `payload` is everything received of that frame so far (it only grows).
    mutating func inspectPartial(opcode: WebSocketOpcode, payload: ArraySlice<UInt8>) throws(WebSocketProtocolError) {
        let isText = opcode == .text || (opcode == .continuation && fragmentOpcode == .text)
        guard isText, payload.count > partialChecked else { return }
        if partialChecked == 0 { partialValidator = opcode == .text ? UTF8Validator() : validator }
        let fresh = payload[(payload.startIndex + partialChecked)...]
        partialChecked = payload.count
        let valid = fresh.withUnsafeBytes { partialValidator.feed($0) }
        guard valid else { throw .invalidUTF8 }
    }

    private func complete(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketMessage {
        if opcode == .binary { return .binary(payload) }
        guard validator.isAtCharacterBoundary else { throw .invalidUTF8 }
        return .text(String(decoding: payload, as: UTF8.self))
    }
}
