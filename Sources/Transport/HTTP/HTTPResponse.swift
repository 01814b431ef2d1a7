import Foundation

/// A received HTTP response. Any status is a response; only transport failures throw.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// From the start of the transfer (after waiting for a free connection) to the last byte.
    public var elapsed: Duration

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data(), elapsed: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var isServerError: Bool { (500..<600).contains(status) }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var elapsedMilliseconds: Int {
        let (seconds, attoseconds) = elapsed.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
