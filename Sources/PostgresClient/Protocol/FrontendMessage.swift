/// The messages a client sends (protocol v3), encoded to bytes. Pure functions.
enum FrontendMessage {
    static let protocolVersion: Int32 = 196_608  // 3.0
    static let sslRequestCode: Int32 = 80_877_103

    /// SSLRequest: asks the server to switch to TLS before anything else.
    static func sslRequest() -> [UInt8] {
        var body = Int32(8).bigEndianBytes
        body += sslRequestCode.bigEndianBytes
        return body
    }

    /// StartupMessage: protocol version, then name/value pairs, then a final NUL.
    static func startup(parameters: [(String, String)]) -> [UInt8] {
        var body = protocolVersion.bigEndianBytes
        for (name, value) in parameters {
            body.appendCString(name)
            body.appendCString(value)
        }
        body.append(0)
        return Int32(body.count + 4).bigEndianBytes + body
    }

    static func saslInitialResponse(mechanism: String, data: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendCString(mechanism)
        body += Int32(data.count).bigEndianBytes
        body += data
        return message("p", body)
    }

    static func saslResponse(_ data: [UInt8]) -> [UInt8] {
        message("p", data)
    }

    /// Parse into the unnamed statement, each parameter's type given.
    static func parse(statement: String = "", sql: String, parameterTypes: [UInt32]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendCString(statement)
        body.appendCString(sql)
        body += UInt16(clamping: parameterTypes.count).bigEndianBytes
        for type in parameterTypes { body += type.bigEndianBytes }
        return message("P", body)
    }

    /// Bind every parameter in binary, and ask for every result column as text.
    static func bind(portal: String = "", statement: String = "", parameters: [PostgresData]) -> [UInt8] {
        var body: [UInt8] = []
        body.appendCString(portal)
        body.appendCString(statement)
        body += Int16(1).bigEndianBytes
        body += Int16(1).bigEndianBytes  // one format code for all parameters: binary
        body += UInt16(clamping: parameters.count).bigEndianBytes
        for parameter in parameters {
            if let value = parameter.binaryValue {
                body += Int32(value.count).bigEndianBytes
                body += value
            } else {
                body += Int32(-1).bigEndianBytes
            }
        }
        body += Int16(0).bigEndianBytes  // no result format codes: all text
        return message("B", body)
    }

    /// Describe a portal ("P") or statement ("S").
    static func describe(portal: String = "") -> [UInt8] {
        var body: [UInt8] = [UInt8(ascii: "P")]
        body.appendCString(portal)
        return message("D", body)
    }

    /// Execute a portal, returning every row.
    static func execute(portal: String = "") -> [UInt8] {
        var body: [UInt8] = []
        body.appendCString(portal)
        body += Int32(0).bigEndianBytes
        return message("E", body)
    }

    static func sync() -> [UInt8] { message("S", []) }

    static func terminate() -> [UInt8] { message("X", []) }

    /// Parse, Bind, Describe, Execute and Sync in one write: one round trip per statement.
    static func extendedQuery(_ query: PostgresQuery) -> [UInt8] {
        parse(sql: query.sql, parameterTypes: query.parameters.map(\.typeOID))
            + bind(parameters: query.parameters)
            + describe()
            + execute()
            + sync()
    }

    private static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [type.asciiValue!]
        bytes += Int32(body.count + 4).bigEndianBytes
        bytes += body
        return bytes
    }
}

extension Array where Element == UInt8 {
    mutating func appendCString(_ text: String) {
        append(contentsOf: text.utf8)
        append(0)
    }
}
