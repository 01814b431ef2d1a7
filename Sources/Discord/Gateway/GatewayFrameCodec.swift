import Foundation

/// One message received from the gateway, by opcode.
public enum GatewayMessage: Sendable, Equatable {
    case hello(GatewayHello)
    case dispatch(GatewayDispatch)
    case heartbeatRequest
    case heartbeatAck
    case reconnect
    case invalidSession(resumable: Bool)
    /// An opcode a client never receives, kept so the driver can log it rather than fail.
    case other(opcode: Int)
}

/// A dispatch (op 0): its name and sequence; `d` stays undecoded until someone asks for it as a type.
public struct GatewayDispatch: Sendable, Equatable {
    public var sequence: Int?
    public var name: String
    /// The whole frame as received.
    public var frame: Data

    public init(sequence: Int?, name: String, frame: Data) {
        self.sequence = sequence
        self.name = name
        self.frame = frame
    }

    /// Decodes `d` as `T`.
    public func decodeData<T: Decodable>(_ type: T.Type) throws(GatewayCodecError) -> T {
        try GatewayFrameCodec.decodeData(type, from: frame, what: name)
    }
}

/// What a client sends on the gateway.
public enum GatewayCommand: Sendable, Equatable {
    case identify(IdentifyPayload)
    case resume(ResumePayload)
    case heartbeat(sequence: Int?)

    public var opcode: GatewayOpcode {
        switch self {
        case .identify: .identify
        case .resume: .resume
        case .heartbeat: .heartbeat
        }
    }
}

public enum GatewayCodecError: Error, Equatable, CustomStringConvertible {
    case malformedFrame(String)
    /// Discord closes the connection (4002) for any payload over 4096 bytes; we refuse to send it instead.
    case payloadTooLarge(opcode: Int, size: Int, limit: Int)

    public var description: String {
        switch self {
        case .malformedFrame(let detail): "the gateway sent a frame clanbot cannot read: \(detail)"
        case .payloadTooLarge(let opcode, let size, let limit):
            "refused to send a gateway payload (op \(opcode)) of \(size) bytes: Discord allows at most \(limit)"
        }
    }
}

/// JSON encoding (`encoding=json`) of gateway frames: `{"op": …, "d": …, "s": …, "t": …}`.
public enum GatewayFrameCodec {
    public static let maximumPayloadSize = 4096

    private struct Header: Decodable {
        let op: Int
        let s: Int?
        let t: String?
    }

    private struct Envelope<D: Decodable>: Decodable {
        let d: D
    }

    private struct Outgoing<D: Encodable>: Encodable {
        let op: Int
        let d: D

        enum CodingKeys: String, CodingKey { case op, d }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(op, forKey: .op)
            try container.encode(d, forKey: .d)  // a nil sequence must be sent as null, not left out
        }
    }

    public static func decode(_ frame: Data) throws(GatewayCodecError) -> GatewayMessage {
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: frame)
        } catch {
            throw .malformedFrame("no opcode (\(describe(error)))")
        }
        switch GatewayOpcode(rawValue: header.op) {
        case .dispatch?:
            guard let name = header.t else { throw .malformedFrame("dispatch without an event name") }
            return .dispatch(GatewayDispatch(sequence: header.s, name: name, frame: frame))
        case .hello?:
            return .hello(try decodeData(GatewayHello.self, from: frame, what: "Hello"))
        case .heartbeat?:
            return .heartbeatRequest
        case .heartbeatAck?:
            return .heartbeatAck
        case .reconnect?:
            return .reconnect
        case .invalidSession?:
            // `d` says whether the session may be resumed; treat a missing value as "no".
            let resumable = (try? JSONDecoder().decode(Envelope<Bool>.self, from: frame).d) ?? false
            return .invalidSession(resumable: resumable)
        default:
            return .other(opcode: header.op)
        }
    }

    static func decodeData<T: Decodable>(_ type: T.Type, from frame: Data, what: String) throws(GatewayCodecError) -> T {
        do {
            return try JSONDecoder().decode(Envelope<T>.self, from: frame).d
        } catch {
            throw .malformedFrame("\(what): \(describe(error))")
        }
    }

    /// Encodes a command, refusing anything Discord would reject for size.
    public static func encode(_ command: GatewayCommand) throws(GatewayCodecError) -> Data {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            switch command {
            case .identify(let payload): data = try encoder.encode(Outgoing(op: GatewayOpcode.identify.rawValue, d: payload))
            case .resume(let payload): data = try encoder.encode(Outgoing(op: GatewayOpcode.resume.rawValue, d: payload))
            case .heartbeat(let sequence): data = try encoder.encode(Outgoing(op: GatewayOpcode.heartbeat.rawValue, d: sequence))
            }
        } catch {
            throw .malformedFrame("could not encode op \(command.opcode.rawValue): \(error)")
        }
        try checkSize(data, opcode: command.opcode.rawValue)
        return data
    }

    /// Any payload, e.g. a presence update: the same 4096-byte rule.
    public static func checkSize(_ data: Data, opcode: Int) throws(GatewayCodecError) {
        if data.count > maximumPayloadSize {
            throw .payloadTooLarge(opcode: opcode, size: data.count, limit: maximumPayloadSize)
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at '\(path(context.codingPath))': \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at '\(path(context.codingPath))': \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
