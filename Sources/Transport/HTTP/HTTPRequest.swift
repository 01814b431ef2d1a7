import Foundation

/// An HTTP method. Any token is allowed; the common ones are spelled out.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }

    public static let get: HTTPMethod = "GET"
    public static let head: HTTPMethod = "HEAD"
    public static let post: HTTPMethod = "POST"
    public static let put: HTTPMethod = "PUT"
    public static let patch: HTTPMethod = "PATCH"
    public static let delete: HTTPMethod = "DELETE"
}

/// One HTTP request. `url` is absolute (`https://host/path?query`); build queries with `HTTPQuery`.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    /// Whole-transfer limit for this request; nil uses the client's default.
    public var timeout: Duration?

    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = [:], body: Data? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public static func get(_ url: String, headers: HTTPHeaders = [:], timeout: Duration? = nil) -> HTTPRequest {
        HTTPRequest(method: .get, url: url, headers: headers, timeout: timeout)
    }

    /// A request with a JSON body and `Content-Type: application/json`.
    public static func json(
        _ method: HTTPMethod, _ url: String, body: Data, headers: HTTPHeaders = [:], timeout: Duration? = nil
    ) -> HTTPRequest {
        var headers = headers
        if headers["Content-Type"] == nil { headers.add("Content-Type", "application/json") }
        return HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
    }
}

/// Percent-encoding for query strings (RFC 3986 unreserved characters stay, everything else is encoded,
/// so a space becomes `%20` and `+`/`&`/`=` cannot split a value).
public enum HTTPQuery {
    public static func encode(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// `a=1&b=x%20y` from pairs, in order.
    public static func string(_ items: [(String, String)]) -> String {
        items.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
