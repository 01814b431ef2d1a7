import Discord
import Foundation
import Synchronization
import Transport

/// Discord's REST API for bot tests, without a socket: the `DiscordHTTPTransport` a `DiscordREST` sends through
/// records every request (method, route, headers, body) and answers it, from the answers a test scripted or,
/// failing those, from `fallback`. The REST client above it is the real one, so rate limits, retries after a 429
/// or a 5xx and error bodies behave as against Discord.
///
///     let discord = RecordingDiscordTransport()
///     discord.answer("POST", "/channels/555/messages", with: [.rateLimited(retryAfter: 0.01), .json(#"{"id":"1"}"#)])
///     let rest = DiscordREST(token: "t", apiBase: discord.apiBase, transport: discord)
///     ... the bot posts ...
///     #expect(discord.requests.filter { $0.route == "/channels/555/messages" }.count == 2)
///
/// `serveOverHTTP()` puts the same recorder behind a loopback HTTP server, for the few end-to-end tests that
/// want libcurl and real sockets in the path.
public final class RecordingDiscordTransport: DiscordHTTPTransport {
    /// One request as the REST client sent it.
    public struct Request: Sendable {
        public var method: String
        /// The path after the API base, e.g. `/channels/555/messages` (with its query string, if any).
        public var route: String
        public var headers: HTTPHeaders
        public var body: Data

        public init(method: String, route: String, headers: HTTPHeaders, body: Data) {
            self.method = method
            self.route = route
            self.headers = headers
            self.body = body
        }

        /// The route without its query string.
        public var path: String { String(route.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The message with its files, when the body is multipart/form-data.
        public var multipart: MultipartTestBody? { try? MultipartTestBody(contentType: headers["Content-Type"], body: body) }
        /// The JSON body; for a message with files, its `payload_json` part. Empty when there is none.
        public var json: [String: Any] {
            let data = multipart?.part(named: "payload_json")?.data ?? body
            return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        }
    }

    /// What Discord answers.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        /// No answer at all: the transport throws, as when the connection drops.
        public var dropsConnection: Bool

        public init(status: Int, headers: [String: String] = [:], body: Data = Data(), dropsConnection: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.dropsConnection = dropsConnection
        }

        public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Answer {
            Answer(status: status, headers: headers.merging(["Content-Type": "application/json"]) { given, _ in given }, body: Data(text.utf8))
        }

        public static func status(_ status: Int) -> Answer { Answer(status: status) }

        /// A 429 as Discord sends it: `Retry-After` and the JSON body.
        public static func rateLimited(retryAfter: Double, global: Bool = false) -> Answer {
            var headers = ["Retry-After": String(retryAfter)]
            if global { headers["X-RateLimit-Global"] = "true" } else { headers["X-RateLimit-Scope"] = "user" }
            return .json(#"{"message":"You are being rate limited.","retry_after":\#(retryAfter),"global":\#(global)}"#, status: 429, headers: headers)
        }

        /// A Discord error (4xx) with its code, e.g. `.error(403, code: 50013, "Missing Permissions")`.
        public static func error(_ status: Int, code: Int, _ message: String) -> Answer {
            .json(#"{"message":"\#(message)","code":\#(code)}"#, status: status)
        }

        public static let dropped = Answer(status: 0, dropsConnection: true)
    }

    /// The answer when no scripted one applies: 204 to interaction callbacks, else a message
    /// (`{"id":"7000","channel_id":"300"}`), enough for every call the bot makes.
    public static let messageAnswers: @Sendable (Request) -> Answer = { request in
        request.path.hasSuffix("/callback") ? .status(204) : .json(#"{"id":"7000","channel_id":"300"}"#)
    }

    public struct Dropped: Error, CustomStringConvertible {
        public let route: String
        public var description: String { "the fake Discord dropped the connection (\(route))" }
    }

    private struct Rule {
        let matches: @Sendable (Request) -> Bool
        /// Answered in order; the last one stays when `repeatsLast`.
        var answers: [Answer]
        let repeatsLast: Bool
    }

    private struct State {
        var requests: [Request] = []
        var rules: [Rule] = []
    }

    /// What `DiscordREST` is pointed at (`apiBase:`); the host is never contacted.
    public let apiBase: String
    private let fallback: @Sendable (Request) -> Answer
    private let state = Mutex(State())

    public init(apiBase: String = "https://discord.test/api/v10", fallback: @escaping @Sendable (Request) -> Answer = RecordingDiscordTransport.messageAnswers) {
        self.apiBase = apiBase
        self.fallback = fallback
    }

    // MARK: - Scripting

    /// Answers the requests that `matches` with `answers`, one each, in order; later requests go on to older
    /// rules and the fallback. The newest rule is asked first.
    public func answer(where matches: @escaping @Sendable (Request) -> Bool, with answers: [Answer]) {
        guard !answers.isEmpty else { return }
        state.withLock { $0.rules.insert(Rule(matches: matches, answers: answers, repeatsLast: false), at: 0) }
    }

    /// Answers every request that `matches` with `answer` from now on (until `forgetAnswers()`).
    public func answer(where matches: @escaping @Sendable (Request) -> Bool, always answer: Answer) {
        state.withLock { $0.rules.insert(Rule(matches: matches, answers: [answer], repeatsLast: true), at: 0) }
    }

    /// `method` (nil: any) on `path` (the route without its query).
    public func answer(_ method: String?, _ path: String, with answers: [Answer]) {
        answer(where: { (method == nil || $0.method == method) && $0.path == path }, with: answers)
    }

    public func answer(_ method: String?, _ path: String, always answer: Answer) {
        self.answer(where: { (method == nil || $0.method == method) && $0.path == path }, always: answer)
    }

    /// Drops every scripted answer: from now on the fallback answers.
    public func forgetAnswers() {
        state.withLock { $0.rules.removeAll() }
    }

    // MARK: - What was sent

    /// Every request so far, in the order they were sent.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// The requests on `path` (the route without its query), with `method` if given.
    public func requests(_ method: String? = nil, _ path: String) -> [Request] {
        requests.filter { (method == nil || $0.method == method) && $0.path == path }
    }

    // MARK: - Answering

    /// Records `request` and chooses its answer. (The rules and the fallback run under the recorder's lock: they
    /// must not call it.)
    public func record(_ request: Request) -> Answer {
        state.withLock { state in
            state.requests.append(request)
            for index in state.rules.indices where state.rules[index].matches(request) {
                let answer = state.rules[index].answers.removeFirst()
                if state.rules[index].answers.isEmpty {
                    if state.rules[index].repeatsLast { state.rules[index].answers = [answer] } else { state.rules.remove(at: index) }
                }
                return answer
            }
            return fallback(request)
        }
    }

    public func send(_ request: DiscordHTTPRequest) async throws -> DiscordHTTPResponse {
        let route = request.url.hasPrefix(apiBase) ? String(request.url.dropFirst(apiBase.count)) : request.url
        var headers = HTTPHeaders()
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
        let answer = record(Request(method: request.method, route: route, headers: headers, body: request.body ?? Data()))
        if answer.dropsConnection { throw Dropped(route: route) }
        return DiscordHTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
    }

    /// The same recorder behind a loopback HTTP server, reached over libcurl: point `DiscordREST` (with
    /// `HTTPClientTransport`) at the returned server's `baseURL + "/api/v10"`. Stop the server when done.
    public func serveOverHTTP() throws -> HTTPTestServer {
        try HTTPTestServer { [self] request in
            let route = request.target.hasPrefix("/api/v10") ? String(request.target.dropFirst("/api/v10".count)) : request.target
            let answer = record(Request(method: request.method, route: route, headers: request.headers, body: request.body))
            if answer.dropsConnection { return .closeWithoutAnswer }
            var headers = HTTPHeaders()
            for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
            return HTTPTestResponse(status: answer.status, headers: headers, body: answer.body)
        }
    }
}
