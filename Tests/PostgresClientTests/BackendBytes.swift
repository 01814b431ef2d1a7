@testable import PostgresClient

/// Server messages written byte by byte, as a PostgreSQL server would send them, for the codec and
/// state machine tests.
enum BackendBytes {
    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [type.asciiValue!] + int32(body.count + 4) + body
    }

    static func int32(_ value: Int) -> [UInt8] { Int32(value).bigEndianBytes }
    static func int16(_ value: Int) -> [UInt8] { Int16(value).bigEndianBytes }
    static func cString(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    static func authentication(_ code: Int, _ extra: [UInt8] = []) -> [UInt8] { message("R", int32(code) + extra) }
    static func ready(_ status: Character = "I") -> [UInt8] { message("Z", [status.asciiValue!]) }
    static func parameterStatus(_ name: String, _ value: String) -> [UInt8] { message("S", cString(name) + cString(value)) }
    static func backendKey(_ pid: Int) -> [UInt8] { message("K", int32(pid) + int32(42)) }
    static func commandComplete(_ tag: String) -> [UInt8] { message("C", cString(tag)) }

    static func error(_ code: String, _ text: String, severity: String = "ERROR", detail: String? = nil) -> [UInt8] {
        var body = [UInt8(ascii: "S")] + cString(severity) + [UInt8(ascii: "V")] + cString(severity)
            + [UInt8(ascii: "C")] + cString(code) + [UInt8(ascii: "M")] + cString(text)
        if let detail { body += [UInt8(ascii: "D")] + cString(detail) }
        return message("E", body + [0])
    }

    static func rowDescription(_ columns: [(String, UInt32)]) -> [UInt8] {
        var body = int16(columns.count)
        for (name, type) in columns {
            body += cString(name) + int32(0) + int16(0) + type.bigEndianBytes + int16(-1) + int32(-1) + int16(0)
        }
        return message("T", body)
    }

    static func dataRow(_ values: [String?]) -> [UInt8] {
        var body = int16(values.count)
        for value in values {
            if let value { body += int32(value.utf8.count) + Array(value.utf8) } else { body += int32(-1) }
        }
        return message("D", body)
    }

    static func notification(pid: Int, channel: String, payload: String) -> [UInt8] {
        message("A", int32(pid) + cString(channel) + cString(payload))
    }

    /// Decodes `bytes` into messages, all of them.
    static func decodeAll(_ bytes: [UInt8]) throws -> [BackendMessage] {
        var decoder = BackendMessageDecoder()
        decoder.append(bytes)
        var messages: [BackendMessage] = []
        while let message = try decoder.next() { messages.append(message) }
        return messages
    }
}
