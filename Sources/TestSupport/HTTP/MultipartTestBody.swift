import Foundation

/// A `multipart/form-data` request body taken apart, for tests to assert what a client uploaded.
/// Strict on purpose: CRLF line ends, every part opened by the boundary, the closing delimiter present.
public struct MultipartTestBody: Sendable {
    public struct Part: Sendable {
        /// Header lines as sent ("Content-Disposition" → "form-data; name=\"files[0]\"; filename=\"entries.txt\"").
        public var headers: [String: String]
        public var data: Data

        /// The `name` of the Content-Disposition header.
        public var name: String? { parameter("name") }
        public var filename: String? { parameter("filename") }
        public var contentType: String? { headers["Content-Type"] }

        func parameter(_ key: String) -> String? {
            guard let disposition = headers["Content-Disposition"] else { return nil }
            for item in disposition.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where item.hasPrefix(key + "=\"") {
                return String(item.dropFirst(key.count + 2).dropLast())
            }
            return nil
        }
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    public let boundary: String
    public let parts: [Part]

    /// Parses `body` sent with the Content-Type header `contentType` ("multipart/form-data; boundary=…").
    public init(contentType: String?, body: Data) throws {
        guard let contentType, contentType.hasPrefix("multipart/form-data"),
              let range = contentType.range(of: "boundary=") else {
            throw Malformed(description: "Content-Type is not multipart/form-data with a boundary: \(contentType ?? "none")")
        }
        boundary = String(contentType[range.upperBound...])
        let bytes = [UInt8](body)
        let opening = Array("--\(boundary)\r\n".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard bytes.starts(with: opening) else { throw Malformed(description: "the body does not open with the boundary") }
        var parts: [Part] = []
        var cursor = opening.count
        while true {
            guard let end = Self.find(separator, in: bytes, from: cursor) else { throw Malformed(description: "a part is not closed") }
            let raw = Array(bytes[cursor..<end])
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: raw, from: 0) else { throw Malformed(description: "a part has no header end") }
            var headers: [String: String] = [:]
            for line in String(decoding: raw[0..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { throw Malformed(description: "bad header line '\(line)'") }
                headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            parts.append(Part(headers: headers, data: Data(raw[(headerEnd + 4)...])))
            let after = end + separator.count
            if bytes[after...].starts(with: Array("--\r\n".utf8)) { break }
            guard bytes[after...].starts(with: Array("\r\n".utf8)) else { throw Malformed(description: "bad delimiter line") }
            cursor = after + 2
        }
        self.parts = parts
    }

    public func part(named name: String) -> Part? { parts.first { $0.name == name } }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
