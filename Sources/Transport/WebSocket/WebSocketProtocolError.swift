/// A violation of RFC 6455 by the peer. Each one maps to the close code we send before failing the connection.
public enum WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    case reservedBitsSet(UInt8)
    case reservedOpcode(UInt8)
    case fragmentedControlFrame(WebSocketOpcode)
    case controlFrameTooLong(Int)
    case maskedFrameFromServer
    case unmaskedFrameFromClient
    case nonMinimalLengthEncoding
    case lengthTooLarge
    case unexpectedContinuation
    case expectedContinuation(WebSocketOpcode)
    case invalidClosePayloadLength
    case invalidCloseCode(UInt16)
    case invalidUTF8
    case messageTooBig(limit: Int)

    /// The status code to send in our close frame (RFC 6455 section 7.4.1).
    public var closeCode: UInt16 {
        switch self {
        case .invalidUTF8: 1007
        case .messageTooBig: 1009
        default: 1002
        }
    }

    public var description: String {
        switch self {
        case .reservedBitsSet(let bits): "frame has reserved bits set (RSV \(bits)) but no extension was negotiated"
        case .reservedOpcode(let opcode): "frame uses reserved opcode 0x\(String(opcode, radix: 16))"
        case .fragmentedControlFrame(let opcode): "\(opcode) control frame is fragmented (FIN not set)"
        case .controlFrameTooLong(let length): "control frame payload of \(length) bytes exceeds 125"
        case .maskedFrameFromServer: "server sent a masked frame; servers must not mask"
        case .unmaskedFrameFromClient: "client sent an unmasked frame; clients must mask every frame"
        case .nonMinimalLengthEncoding: "frame length is not in its minimal encoding"
        case .lengthTooLarge: "frame length has its most significant bit set"
        case .unexpectedContinuation: "continuation frame without a message to continue"
        case .expectedContinuation(let opcode): "\(opcode) frame arrived while a fragmented message was unfinished"
        case .invalidClosePayloadLength: "close frame payload of 1 byte (a status code needs 2)"
        case .invalidCloseCode(let code): "close frame carries invalid status code \(code)"
        case .invalidUTF8: "text is not valid UTF-8"
        case .messageTooBig(let limit): "message exceeds the maximum size of \(limit) bytes"
        }
    }
}
