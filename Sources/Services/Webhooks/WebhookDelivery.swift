import Domain
import Foundation
import Transport

/// Where one webhook posts, as delivery needs it.
public struct WebhookTarget: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var provider: WebhookProviderKind
    /// The signing secret of a custom webhook; nil for Discord and Slack.
    public var secret: [UInt8]?

    public init(id: Int64, url: String, provider: WebhookProviderKind, secret: [UInt8]? = nil) {
        self.id = id
        self.url = url
        self.provider = provider
        self.secret = secret
    }
}

/// How one delivery ended: the last HTTP status seen, or why none came, and how many tries it took.
public struct WebhookDeliveryResult: Sendable, Equatable {
    public var statusCode: Int?
    public var error: String?
    public var attempts: Int

    public var succeeded: Bool { error == nil && statusCode.map { (200..<300).contains($0) } == true }
}

/// Posts webhook messages: renders the provider's body, signs custom bodies, and retries with
/// exponential backoff on timeouts, connection failures, 429 and 5xx. Other 4xx are final
/// (a deleted Discord webhook answers 404 for good; retrying would only be noise).
///
/// Deliveries reach only what `urlPolicy` allows: the URL is checked again before each attempt, and the
/// delivery's own HTTP client checks every address it connects to (after DNS, at connect time) and follows
/// no redirects, so neither a DNS answer nor a 3xx can lead a webhook into the host's own network.
public struct WebhookDelivery: Sendable {
    public struct RetryPolicy: Sendable {
        public var attempts: Int
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        public var timeout: Duration

        public init(attempts: Int = 4, initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(30), timeout: Duration = .seconds(10)) {
            self.attempts = max(1, attempts)
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.timeout = timeout
        }
    }

    public let urlPolicy: WebhookURLPolicy
    private let http: any HTTPSending
    private let policy: RetryPolicy
    private let now: @Sendable () -> Date

    /// A delivery with its own HTTP client made from `client` (CA file, timeouts), with the connection
    /// check of `urlPolicy` and redirects off whatever `client` says.
    public init(client: HTTPClient.Configuration = HTTPClient.Configuration(timeout: .seconds(15)), urlPolicy: WebhookURLPolicy,
                policy: RetryPolicy = RetryPolicy(), now: @escaping @Sendable () -> Date = Date.init) throws(HTTPError) {
        var configuration = client
        configuration.followRedirects = false
        configuration.connectionFilter = { address in
            guard let ip = IPAddress(bytes: address.bytes) else { return "not an IP address" }
            return urlPolicy.refusal(connectingTo: ip)
        }
        self.init(http: try HTTPClient(configuration: configuration), urlPolicy: urlPolicy, policy: policy, now: now)
    }

    /// Over any sender (tests with a fake): only the URL checks of `urlPolicy` apply, not the connection check.
    init(http: any HTTPSending, urlPolicy: WebhookURLPolicy, policy: RetryPolicy = RetryPolicy(), now: @escaping @Sendable () -> Date = Date.init) {
        self.http = http
        self.urlPolicy = urlPolicy
        self.policy = policy
        self.now = now
    }

    public func deliver(_ message: WebhookMessage, to target: WebhookTarget) async -> WebhookDeliveryResult {
        let body = WebhookRenderer.body(for: message, provider: target.provider)
        var result = WebhookDeliveryResult(statusCode: nil, error: nil, attempts: 0)
        do {
            _ = try urlPolicy.validate(target.url)
        } catch {
            // Stored before a rule tightened, or the operator turned loopback off: never attempted.
            result.error = "not sent: \(error.description)"
            return result
        }
        var backoff = policy.initialBackoff
        while result.attempts < policy.attempts {
            result.attempts += 1
            let retryAfter: Duration?
            do {
                let response = try await http.send(request(body: body, to: target))
                result.statusCode = response.status
                if response.isSuccess {
                    result.error = nil
                    return result
                }
                result.error = WebhookRedaction.redact(Self.describe(status: response.status, body: response.body), for: target)
                guard response.status == 429 || response.status >= 500 else { return result }
                retryAfter = Self.retryAfter(response)
            } catch {
                // A refused address will be refused again: say so once, without retrying.
                switch error {
                case .cancelled, .addressRefused: result.error = error.description; return result
                default: break
                }
                result.statusCode = nil
                result.error = WebhookRedaction.redact(error.description, for: target)
                retryAfter = nil
            }
            guard result.attempts < policy.attempts else { break }
            let wait = min(retryAfter ?? backoff, policy.maximumBackoff)
            do { try await Task.sleep(for: wait) } catch { return result }
            backoff = min(backoff * 2, policy.maximumBackoff)
        }
        return result
    }

    private func request(body: [UInt8], to target: WebhookTarget) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if target.provider == .custom, let secret = target.secret {
            let timestamp = Int64(now().timeIntervalSince1970)
            for (name, value) in WebhookSignature.headers(body: body, secret: secret, timestamp: timestamp) {
                headers.add(name, value)
            }
        }
        return .json(.post, target.url, body: Data(body), headers: headers, timeout: policy.timeout)
    }

    private static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let text = response.headers["Retry-After"], let seconds = Double(text), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The status and the start of the answer, so an officer can tell "404 Unknown Webhook" from "500".
    private static func describe(status: Int, body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)"
    }
}
