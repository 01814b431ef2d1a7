import Foundation
import Transport

/// The Discord REST client: authenticates, encodes JSON, waits as the rate limits require, retries 429s and
/// 5xx with backoff, and turns failures into `DiscordRESTError`s that carry Discord's error body.
public actor DiscordREST {
    public struct Options: Sendable {
        /// How many times a request is retried after a 429 or a 5xx.
        var maxRetries: Int = 4
        /// A wait longer than this fails the request instead (an interaction token lives 15 minutes; a user waits less).
        public var maxWait: Double = 60
        /// First retry delay after a 5xx or transport error; doubles each time.
        var retryBase: Double = 0.5
        var invalidRequestBudget: Int = 1000
        var globalLimit: Int = 50

        public init() {}
    }

    public let apiBase: String
    private let token: String
    private let userAgent: String
    private let transport: any DiscordHTTPTransport
    private let options: Options
    private let now: @Sendable () -> Double
    private let sleep: @Sendable (Double) async throws -> Void
    private var limiter: RateLimiter

    /// Discord's required form: `DiscordBot ($url, $versionNumber)`.
    public static func userAgent(version: String) -> String {
        "DiscordBot (https://github.com/clanbot/clanbot, \(version))"
    }

    public init(
        token: String,
        apiBase: String = "https://discord.com/api/v10",
        transport: any DiscordHTTPTransport,
        userAgent: String = DiscordREST.userAgent(version: ClanbotVersion.current),
        options: Options = Options(),
        now: @escaping @Sendable () -> Double = DiscordREST.monotonicSeconds,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int($0 * 1000))) }
    ) {
        self.token = token
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.transport = transport
        self.userAgent = userAgent
        self.options = options
        self.now = now
        self.sleep = sleep
        self.limiter = RateLimiter(globalLimit: options.globalLimit, invalidRequestBudget: options.invalidRequestBudget)
    }

    public static let monotonicSeconds: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    // MARK: - Requests

    /// Sends `route` with an optional raw JSON body; returns the response body of a 2xx.
    @discardableResult
    public func send(_ route: Route, body: Data? = nil, contentType: String = "application/json",
                     auditLogReason: String? = nil) async throws(DiscordRESTError) -> Data {
        var headers = [
            "Authorization": "Bot \(token)",
            "User-Agent": userAgent,
        ]
        if body != nil { headers["Content-Type"] = contentType }
        if let auditLogReason, let encoded = auditLogReason.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) {
            headers["X-Audit-Log-Reason"] = encoded
        }
        let request = DiscordHTTPRequest(method: route.method.rawValue, url: apiBase + route.path, headers: headers, body: body)

        var failures = 0
        while true {
            try await waitForPermission(route)
            let response: DiscordHTTPResponse
            do {
                response = try await transport.send(request)
            } catch {
                failures += 1
                guard failures <= options.maxRetries, Self.mayRetryAfterTransportError(route) else {
                    throw .transport(route: route.description, message: "\(error)")
                }
                try await pause(options.retryBase * Double(1 << (failures - 1)), route)
                continue
            }
            let observation = Self.observe(response)
            limiter.record(route, observation, now: now())

            switch response.status {
            case 200..<300:
                return response.body
            case 429:
                failures += 1
                let retryAfter = observation.retryAfter ?? 1
                guard failures <= options.maxRetries, retryAfter <= options.maxWait else {
                    throw .rateLimited(route: route.description, retryAfter: retryAfter, global: observation.global)
                }
                // The limiter now knows the wait; loop and let it decide.
            case 500..<600:
                failures += 1
                guard failures <= options.maxRetries, Self.mayRetry(route.method, status: response.status) else {
                    throw .server(route: route.description, status: response.status)
                }
                try await pause(options.retryBase * Double(1 << (failures - 1)), route)
            default:
                throw .api(route: route.description, status: response.status, body: try? JSONDecoder().decode(DiscordErrorBody.self, from: response.body))
            }
        }
    }

    /// Sends `value` as JSON and decodes the answer as `Response`.
    public func send<Body: Encodable & Sendable, Response: Decodable>(
        _ route: Route, json value: Body, as type: Response.Type
    ) async throws(DiscordRESTError) -> Response {
        let data = try await send(route, body: try encode(value, route))
        return try decode(type, data, route)
    }

    /// Sends `value` as JSON and ignores the answer.
    public func send<Body: Encodable & Sendable>(_ route: Route, json value: Body) async throws(DiscordRESTError) {
        try await send(route, body: try encode(value, route))
    }

    /// Sends `value` as JSON, or, when there are `files`, as multipart/form-data: the JSON as `payload_json`
    /// (it must name the files in `attachments`, as `MessagePayload` does) and each file as `files[n]`.
    @discardableResult
    public func send<Body: Encodable & Sendable>(_ route: Route, json value: Body, files: [MessageAttachment]) async throws(DiscordRESTError) -> Data {
        let json = try encode(value, route)
        guard !files.isEmpty else { return try await send(route, body: json) }
        let form = MultipartFormData.discordMessage(payloadJSON: json, files: files)
        return try await send(route, body: form.body, contentType: form.contentType)
    }

    /// As `send(_:json:files:)`, decoding the answer as `Response`.
    public func send<Body: Encodable & Sendable, Response: Decodable>(
        _ route: Route, json value: Body, files: [MessageAttachment], as type: Response.Type
    ) async throws(DiscordRESTError) -> Response {
        let data = try await send(route, json: value, files: files)
        return try decode(type, data, route)
    }

    /// Sends a body-less request and decodes the answer.
    public func get<Response: Decodable>(_ route: Route, as type: Response.Type) async throws(DiscordRESTError) -> Response {
        let data = try await send(route)
        return try decode(type, data, route)
    }

    /// Seconds until a global rate limit lifts (0 when none applies); for status reports.
    var globalRateLimitRemaining: Double { limiter.globalBlockRemaining(now: now()) }

    // MARK: - Internals

    private func waitForPermission(_ route: Route) async throws(DiscordRESTError) {
        while true {
            switch limiter.acquire(route, now: now()) {
            case .proceed:
                return
            case .refuse(let message):
                throw .refused(route: route.description, message: message)
            case .wait(let seconds):
                guard seconds <= options.maxWait else {
                    throw .rateLimited(route: route.description, retryAfter: seconds, global: false)
                }
                try await pause(seconds, route)
            }
        }
    }

    private func pause(_ seconds: Double, _ route: Route) async throws(DiscordRESTError) {
        do {
            try await sleep(seconds)
        } catch {
            throw .transport(route: route.description, message: "cancelled while waiting for a rate limit")
        }
    }

    /// 502/503/504 mean the request never reached Discord's application; other 5xx may have done something,
    /// so only requests that are safe to repeat are retried on them.
    static func mayRetry(_ method: Route.Method, status: Int) -> Bool {
        [502, 503, 504].contains(status) || method != .post
    }

    /// A POST that failed in transit may still have been delivered; repeating it could post twice. An interaction
    /// callback is the exception: a second one is simply refused by Discord.
    static func mayRetryAfterTransportError(_ route: Route) -> Bool {
        route.method != .post || route.exemptFromGlobalLimit
    }

    static func observe(_ response: DiscordHTTPResponse) -> RateLimiter.Observation {
        let headers = response.headers
        var observation = RateLimiter.Observation(
            status: response.status,
            bucket: headers["x-ratelimit-bucket"],
            limit: headers["x-ratelimit-limit"].flatMap { Int($0) },
            remaining: headers["x-ratelimit-remaining"].flatMap { Int($0) },
            resetAfter: headers["x-ratelimit-reset-after"].flatMap { Double($0) },
            scope: headers["x-ratelimit-scope"],
            global: headers["x-ratelimit-global"]?.lowercased() == "true",
            retryAfter: headers["retry-after"].flatMap { Double($0) }
        )
        if response.status == 429, let body = try? JSONDecoder().decode(RateLimitBody.self, from: response.body) {
            // The body's retry_after has millisecond precision; the header is whole seconds.
            observation.retryAfter = body.retryAfter
            observation.global = observation.global || (body.global ?? false)
        }
        return observation
    }

    struct RateLimitBody: Decodable {
        let retryAfter: Double
        let global: Bool?
        enum CodingKeys: String, CodingKey {
            case retryAfter = "retry_after"
            case global
        }
    }

    private func encode<Body: Encodable>(_ value: Body, _ route: Route) throws(DiscordRESTError) -> Data {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return try encoder.encode(value)
        } catch {
            throw .encoding(route: route.description, message: "\(error)")
        }
    }

    private func decode<Response: Decodable>(_ type: Response.Type, _ data: Data, _ route: Route) throws(DiscordRESTError) -> Response {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .decoding(route: route.description, message: GatewayFrameCodec.describe(error))
        }
    }
}
