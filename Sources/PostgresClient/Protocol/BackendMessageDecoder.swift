/// Splits the bytes a server sends into messages (one type byte, a 32-bit length, the body) and decodes
/// them. Bytes may arrive in any pieces. Sans-I/O: the caller appends what it read and takes messages out.
struct BackendMessageDecoder {
    /// A message longer than this is refused rather than buffered (PostgreSQL's own limit is 1 GB).
    let maximumMessageSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0

    init(maximumMessageSize: Int = 64 * 1024 * 1024) {
        self.maximumMessageSize = maximumMessageSize
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The next whole message, nil when more bytes are needed.
    mutating func next() throws(PostgresError) -> BackendMessage? {
        guard buffer.count - readIndex >= 5 else { return nil }
        let type = buffer[readIndex]
        let length = Int(Int32(bigEndianBytes: buffer[(readIndex + 1)..<(readIndex + 5)]))
        guard length >= 4 else { throw .protocolViolation("a message of type \(Self.name(type)) claims length \(length)") }
        guard length <= maximumMessageSize else {
            throw .protocolViolation("a message of type \(Self.name(type)) is \(length) bytes, more than the \(maximumMessageSize) this client accepts")
        }
        guard buffer.count - readIndex >= 1 + length else { return nil }
        let body = buffer[(readIndex + 5)..<(readIndex + 1 + length)]
        readIndex += 1 + length
        var reader = MessageReader(body, type: type)
        let message = try Self.decode(type: type, reader: &reader)
        try reader.expectEnd()
        return message
    }

    private mutating func compactIfWorthIt() {
        if readIndex > 0 && (readIndex == buffer.count || readIndex > 64 * 1024) {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }

    private static func decode(type: UInt8, reader: inout MessageReader) throws(PostgresError) -> BackendMessage {
        switch Character(Unicode.Scalar(type)) {
        case "R": return .authentication(try decodeAuthentication(&reader))
        case "S": return .parameterStatus(name: try reader.cString(), value: try reader.cString())
        case "K": return .backendKeyData(processID: try reader.int32(), secretKey: try reader.int32())
        case "Z":
            let status = try reader.byte()
            guard let transaction = TransactionStatus(rawValue: status) else {
                throw .protocolViolation("ReadyForQuery with unknown transaction status \(status)")
            }
            return .readyForQuery(transaction)
        case "E": return .errorResponse(try decodeFields(&reader))
        case "N": return .noticeResponse(try decodeFields(&reader))
        case "A":
            return .notification(PostgresNotification(processID: try reader.int32(), channel: try reader.cString(), payload: try reader.cString()))
        case "1": return .parseComplete
        case "2": return .bindComplete
        case "3": return .closeComplete
        case "n": return .noData
        case "I": return .emptyQueryResponse
        case "s": return .portalSuspended
        case "t":
            let count = Int(try reader.int16())
            var types: [UInt32] = []
            for _ in 0..<max(0, count) { types.append(UInt32(bitPattern: try reader.int32())) }
            return .parameterDescription(types)
        case "T":
            let count = Int(try reader.int16())
            var columns: [PostgresColumn] = []
            for _ in 0..<max(0, count) {
                let name = try reader.cString()
                _ = try reader.int32()  // table OID
                _ = try reader.int16()  // column number
                let typeOID = UInt32(bitPattern: try reader.int32())
                _ = try reader.int16()  // type size
                _ = try reader.int32()  // type modifier
                _ = try reader.int16()  // format code
                columns.append(PostgresColumn(name: name, typeOID: typeOID))
            }
            return .rowDescription(columns)
        case "D":
            let count = Int(try reader.int16())
            var values: [[UInt8]?] = []
            values.reserveCapacity(max(0, count))
            for _ in 0..<max(0, count) {
                let length = Int(try reader.int32())
                values.append(length < 0 ? nil : try reader.bytes(length))
            }
            return .dataRow(values)
        case "C": return .commandComplete(tag: try reader.cString())
        case "v":
            let minor = try reader.int32()
            let count = Int(try reader.int32())
            var options: [String] = []
            for _ in 0..<max(0, count) { options.append(try reader.cString()) }
            return .negotiateProtocolVersion(minor: minor, unsupportedOptions: options)
        default:
            reader.skipRest()
            return .unsupported(type: type)
        }
    }

    private static func decodeAuthentication(_ reader: inout MessageReader) throws(PostgresError) -> BackendMessage.Authentication {
        let code = try reader.int32()
        switch code {
        case 0: return .ok
        case 3: return .cleartextPassword
        case 5: return .md5Password(salt: try reader.bytes(4))
        case 10:
            var mechanisms: [String] = []
            while true {
                let name = try reader.cString()
                if name.isEmpty { break }
                mechanisms.append(name)
            }
            return .sasl(mechanisms: mechanisms)
        case 11: return .saslContinue(reader.rest())
        case 12: return .saslFinal(reader.rest())
        default:
            reader.skipRest()
            return .other(code: code)
        }
    }

    private static func decodeFields(_ reader: inout MessageReader) throws(PostgresError) -> PostgresErrorFields {
        var fields: [UInt8: String] = [:]
        while true {
            let code = try reader.byte()
            if code == 0 { break }
            fields[code] = try reader.cString()
        }
        return PostgresErrorFields(fields: fields)
    }

    static func name(_ type: UInt8) -> String {
        (32..<127).contains(type) ? "'\(Character(Unicode.Scalar(type)))'" : "0x" + String(type, radix: 16)
    }
}

/// Reads the body of one message, failing with a protocol violation when it is shorter than it claims.
struct MessageReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private let type: UInt8

    init(_ bytes: ArraySlice<UInt8>, type: UInt8) {
        self.bytes = bytes
        index = bytes.startIndex
        self.type = type
    }

    private func truncated() -> PostgresError {
        .protocolViolation("a message of type \(BackendMessageDecoder.name(type)) ends early")
    }

    mutating func byte() throws(PostgresError) -> UInt8 {
        guard index < bytes.endIndex else { throw truncated() }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func int16() throws(PostgresError) -> Int16 {
        guard bytes.endIndex - index >= 2 else { throw truncated() }
        defer { index += 2 }
        return Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }

    mutating func int32() throws(PostgresError) -> Int32 {
        guard bytes.endIndex - index >= 4 else { throw truncated() }
        defer { index += 4 }
        return Int32(bigEndianBytes: bytes[index..<(index + 4)])
    }

    mutating func bytes(_ count: Int) throws(PostgresError) -> [UInt8] {
        guard count >= 0, bytes.endIndex - index >= count else { throw truncated() }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    mutating func cString() throws(PostgresError) -> String {
        guard let end = bytes[index...].firstIndex(of: 0) else { throw truncated() }
        defer { index = end + 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }

    mutating func skipRest() { index = bytes.endIndex }

    func expectEnd() throws(PostgresError) {
        guard index == bytes.endIndex else {
            throw .protocolViolation("a message of type \(BackendMessageDecoder.name(type)) has \(bytes.endIndex - index) unexpected trailing bytes")
        }
    }
}

extension Int32 {
    init(bigEndianBytes bytes: ArraySlice<UInt8>) {
        var value: UInt32 = 0
        for byte in bytes { value = value << 8 | UInt32(byte) }
        self = Int32(bitPattern: value)
    }
}
