import Foundation
import Transport

/// A request as the test server received it, for tests to assert what a client sent.
public struct HTTPTestRequest: Sendable, Hashable {
    public var method: String
    /// Path and query exactly as sent: `/m=hiscore_oldschool/index_lite.json?player=Zezima`.
    public var target: String
    public var headers: HTTPHeaders
    public var body: Data

    public init(method: String, target: String, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The target without its query.
    public var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    /// The raw query after `?`, if any.
    public var query: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: mark)...])
    }

    /// A query parameter, percent-decoded (`+` read as a space, as form encoding does).
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map(String.init) == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        return nil
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A scripted answer: a status, headers and body, optionally after a delay, or no answer at all.
public struct HTTPTestResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// Waited before answering (to exceed a client's timeout, say).
    public var delay: Duration
    /// Close the connection instead of answering.
    public var closesWithoutAnswer: Bool

    public init(status: Int = 200, headers: HTTPHeaders = [:], body: Data = Data(), delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.closesWithoutAnswer = false
    }

    public static func json(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPTestResponse {
        var headers = headers
        if headers["Content-Type"] == nil { headers.add("Content-Type", "application/json") }
        return HTTPTestResponse(status: status, headers: headers, body: Data(text.utf8))
    }

    public static func text(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPTestResponse {
        var headers = headers
        if headers["Content-Type"] == nil { headers.add("Content-Type", "text/plain; charset=utf-8") }
        return HTTPTestResponse(status: status, headers: headers, body: Data(text.utf8))
    }

    public static func status(_ status: Int) -> HTTPTestResponse { HTTPTestResponse(status: status) }

    public static var closeWithoutAnswer: HTTPTestResponse {
        var response = HTTPTestResponse()
        response.closesWithoutAnswer = true
        return response
    }

    /// The same response, sent after `delay`.
    public func delayed(by delay: Duration) -> HTTPTestResponse {
        var copy = self
        copy.delay = delay
        return copy
    }
}

/// A route table for `HTTPTestServer`: the first route whose method and path match answers;
/// anything else gets 404. A route may answer from a closure or from a script (its responses in turn,
/// the last one repeated), which is how "500 then 200" is written.
public final class HTTPTestRouter: Sendable {
    private struct Route: Sendable {
        let method: String?
        let path: String
        let respond: @Sendable (HTTPTestRequest) -> HTTPTestResponse
    }

    private let routes = LockedValue<[Route]>([])
    private let fallback = LockedValue<(@Sendable (HTTPTestRequest) -> HTTPTestResponse)?>(nil)

    public init() {}

    /// Answers every request no route matches (instead of 404): a fake serving thousands of distinct paths.
    public func routeEverythingElse(_ respond: @escaping @Sendable (HTTPTestRequest) -> HTTPTestResponse) {
        fallback.withLock { $0 = respond }
    }

    /// `method` nil matches any method; `path` is matched without the query.
    public func route(_ method: String?, _ path: String, _ respond: @escaping @Sendable (HTTPTestRequest) -> HTTPTestResponse) {
        routes.withLock { $0.append(Route(method: method?.uppercased(), path: path, respond: respond)) }
    }

    public func route(_ method: String?, _ path: String, script: [HTTPTestResponse]) {
        let remaining = LockedValue(script)
        route(method, path) { _ in
            remaining.withLock { queue in
                guard let first = queue.first else { return HTTPTestResponse.status(500) }
                if queue.count > 1 { queue.removeFirst() }
                return first
            }
        }
    }

    public func respond(to request: HTTPTestRequest) -> HTTPTestResponse {
        let match = routes.value.first { ($0.method == nil || $0.method == request.method) && $0.path == request.path }
        if let match { return match.respond(request) }
        return fallback.value?(request) ?? .text("no route for \(request.method) \(request.path)", status: 404)
    }
}
