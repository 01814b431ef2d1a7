/// The content of a close frame: a status code (absent means 1005, "no status received") and a reason.
public struct WebSocketCloseFrame: Sendable, Equatable, CustomStringConvertible {
    public var code: UInt16?
    public var reason: String

    public init(code: UInt16?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    public var description: String {
        let codeText = code.map(String.init) ?? "none (1005)"
        return reason.isEmpty ? "code \(codeText)" : "code \(codeText), reason \"\(reason)\""
    }

    /// Codes a peer may put on the wire: the defined ones that are not reserved for local use
    /// (1005, 1006, 1015 must never be sent), plus the library (3000-3999) and private (4000-4999) ranges.
    public static func isValidOnWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// Parses a close payload, validating the code and the reason's UTF-8.
    public static func parse(_ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketCloseFrame {
        if payload.isEmpty { return WebSocketCloseFrame(code: nil) }
        guard payload.count >= 2 else { throw .invalidClosePayloadLength }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard isValidOnWire(code) else { throw .invalidCloseCode(code) }
        let reasonBytes = Array(payload[2...])
        guard UTF8Validator.isValid(reasonBytes) else { throw .invalidUTF8 }
        return WebSocketCloseFrame(code: code, reason: String(decoding: reasonBytes, as: UTF8.self))
    }

    /// The payload to send: code plus the reason cut to fit 125 bytes on a character boundary.
    /// A code that must not be sent is replaced by 1000.
    public var payload: [UInt8] {
        guard let code else { return [] }
        let sent = Self.isValidOnWire(code) ? code : 1000
        var bytes: [UInt8] = [UInt8(sent >> 8), UInt8(sent & 0xff)]
        var budget = 123
        for scalar in reason.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if encoded.count > budget { break }
            budget -= encoded.count
            bytes += encoded
        }
        return bytes
    }
}
