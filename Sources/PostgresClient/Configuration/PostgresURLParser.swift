import Cryptography

/// Turns `postgres://user:password@host:port/database?key=value` into a configuration, refusing anything
/// it cannot read exactly. Written by hand: Foundation's URL is lenient about characters a password may hold.
enum PostgresURLParser {
    static let knownParameters = ["sslmode", "sslrootcert", "application_name", "connect_timeout"]

    static func parse(_ text: String) throws(PostgresURLError) -> PostgresConfiguration {
        guard let schemeEnd = text.range(of: "://") else {
            throw PostgresURLError("it does not start with postgres://")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("the scheme is \(scheme)://, not postgres:// or postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") {
            throw PostgresURLError("a fragment (#\(rest[rest.index(after: hash)...])) has no meaning here; percent-encode # in a password as %23")
        }
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path = Substring("")
        // The user part may hold '/' only percent-encoded, so the first '/' after the last '@' starts the path.
        let authorityStart = rest.lastIndex(of: "@").map { rest.index(after: $0) } ?? rest.startIndex
        if let slash = rest[authorityStart...].firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        var user: String?
        var password: String?
        var hostPort = rest
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try decode(userInfo[..<colon], what: "user name")
                password = try decode(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                user = try decode(userInfo, what: "user name")
            }
        }
        guard let user, !user.isEmpty else {
            throw PostgresURLError("no user name (postgres://USER:password@host/database)")
        }

        let (host, port) = try parseHostPort(hostPort)
        guard !path.contains("/") else {
            throw PostgresURLError("the database name \"\(path)\" holds a '/'; percent-encode it as %2F")
        }
        let database = try decode(path, what: "database name")

        var configuration = PostgresConfiguration(host: host, port: port, user: user, password: password,
                                                  database: database.isEmpty ? nil : database)
        var seen: Set<String> = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw PostgresURLError("the query parameter \"\(pair)\" has no value (write key=value)")
            }
            let key = try decode(pair[..<equals], what: "query parameter name")
            let value = try decode(pair[pair.index(after: equals)...], what: "value of \(key)")
            guard seen.insert(key).inserted else { throw PostgresURLError("\(key) is given twice") }
            switch key {
            case "sslmode":
                guard let mode = PostgresSSLMode(rawValue: value) else {
                    let allowed = PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PostgresURLError("sslmode=\(value) is not supported; use one of \(allowed)")
                }
                configuration.sslMode = mode
            case "sslrootcert":
                guard !value.isEmpty else { throw PostgresURLError("sslrootcert is empty; give the path of a PEM CA file") }
                configuration.sslRootCertificate = value
            case "application_name":
                configuration.applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0, seconds <= 3600 else {
                    throw PostgresURLError("connect_timeout=\(value) is not a whole number of seconds between 1 and 3600")
                }
                configuration.connectTimeout = .seconds(seconds)
            default:
                throw PostgresURLError("unknown query parameter \(key); known: \(knownParameters.joined(separator: ", "))")
            }
        }
        return configuration
    }

    private static func parseHostPort(_ text: Substring) throws(PostgresURLError) -> (String, UInt16) {
        var hostText: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw PostgresURLError("the IPv6 address \(text) lacks its closing ]") }
            hostText = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw PostgresURLError("unexpected \"\(after)\" after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else {
            hostText = text
            if let colon = text.firstIndex(of: ":") {
                hostText = text[..<colon]
                portText = text[text.index(after: colon)...]
            }
        }
        let host = try decode(hostText, what: "host")
        guard !host.isEmpty else { throw PostgresURLError("no host (postgres://user:password@HOST:5432/database)") }
        guard !host.hasPrefix("/") else {
            throw PostgresURLError("Unix socket paths are not supported; connect over TCP, e.g. host 127.0.0.1")
        }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-._:".contains($0) }) else {
            throw PostgresURLError("the host \"\(host)\" is not a host name or IP address")
        }
        guard let portText else { return (host, PostgresConfiguration.defaultPort) }
        guard let port = UInt16(portText), port > 0 else {
            throw PostgresURLError("the port \"\(portText)\" is not a number from 1 to 65535")
        }
        return (host, port)
    }

    /// Percent-decodes `text` as UTF-8; `+` stays `+` (this is a URL, not a form).
    static func decode(_ text: Substring, what: String) throws(PostgresURLError) -> String {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count,
                      let byte = [UInt8](hexString: String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self))?.first
                else {
                    throw PostgresURLError("the \(what) has a % not followed by two hexadecimal digits")
                }
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw PostgresURLError("the \(what) is not valid UTF-8 once percent-decoded")
        }
        guard !decoded.utf8.contains(0) else { throw PostgresURLError("the \(what) holds a NUL byte") }
        return decoded
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 128 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
