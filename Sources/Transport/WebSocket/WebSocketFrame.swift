/// The opcodes RFC 6455 defines (section 5.2). Others are reserved and fail the connection.
public enum WebSocketOpcode: UInt8, Sendable, Equatable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Control frames (close, ping, pong) have the high opcode bit set.
    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One decoded frame with its payload already unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    /// RSV1..RSV3 as the low three bits. Always 0 without a negotiated extension.
    public var reservedBits: UInt8
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]
    /// The masking key the sender used, or nil for an unmasked frame.
    public var maskingKey: [UInt8]?

    public init(fin: Bool = true, reservedBits: UInt8 = 0, opcode: WebSocketOpcode, payload: [UInt8], maskingKey: [UInt8]? = nil) {
        self.fin = fin
        self.reservedBits = reservedBits
        self.opcode = opcode
        self.payload = payload
        self.maskingKey = maskingKey
    }
}

/// A complete data message.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}
