import Foundation

/// A `multipart/form-data` body (RFC 7578): parts separated by a random boundary, CRLF line ends, each part's
/// bytes copied unchanged. Built in memory; the HTTP client only sends the bytes with `contentType`.
struct MultipartFormData: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var filename: String?
        public var contentType: String
        public var data: Data
    }

    public private(set) var parts: [Part] = []
    public private(set) var boundary: String

    public init(boundary: String = MultipartFormData.randomBoundary()) {
        self.boundary = boundary
    }

    public mutating func append(name: String, filename: String? = nil, contentType: String, data: Data) {
        parts.append(Part(name: name, filename: filename, contentType: contentType, data: data))
        // A boundary must not occur inside any part; with 128 random bits this practically never happens,
        // but a file that happens to contain it would otherwise be cut short.
        while parts.contains(where: { $0.data.range(of: Data(boundary.utf8)) != nil }) {
            boundary = Self.randomBoundary()
        }
    }

    /// The request's Content-Type header.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public var body: Data {
        var out = Data()
        for part in parts {
            out.append(Data("--\(boundary)\r\n".utf8))
            var disposition = "Content-Disposition: form-data; name=\"\(Self.quoted(part.name))\""
            if let filename = part.filename { disposition += "; filename=\"\(Self.quoted(filename))\"" }
            out.append(Data("\(disposition)\r\nContent-Type: \(part.contentType)\r\n\r\n".utf8))
            out.append(part.data)
            out.append(Data("\r\n".utf8))
        }
        out.append(Data("--\(boundary)--\r\n".utf8))
        return out
    }

    /// "clanbot-" and 32 random hex digits (a boundary is at most 70 characters).
    static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<2).map { _ in generator.next() as UInt64 }
        return "clanbot-" + words.map { String($0, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// Escapes what would end a quoted header value or the header line, as browsers do.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A Discord message with files: the JSON (which lists the files in `attachments`) as `payload_json`,
    /// then each file as `files[n]`, n being its index and its id in `attachments`.
    static func discordMessage(payloadJSON: Data, files: [MessageAttachment]) -> MultipartFormData {
        var form = MultipartFormData()
        form.append(name: "payload_json", contentType: "application/json", data: payloadJSON)
        for (index, file) in files.enumerated() {
            form.append(name: "files[\(index)]", filename: file.filename, contentType: file.contentType, data: file.data)
        }
        return form
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
