import Domain
import Foundation
import Transport

/// One successful lookup.
public struct HiscoresFetch: Sendable, Hashable {
    public let rsn: RSN
    public let board: HiscoresBoard
    public let record: HiscoresRecord
    public let fetchedAt: Date
    /// The successful HTTP exchange alone (what `latency_ms` stores).
    public let latencyMs: Int
    /// Including rate-limit waits, retries and backoff.
    let totalMs: Int
    public let attempts: Int
}

/// The OSRS hiscores over HTTP: `GET {base}/m={board}/index_lite.json?player={name}`.
///
/// Every request passes the shared `RateLimiter` first. Timeouts and 5xx are retried with exponential
/// backoff (`retryDelay`, doubling, capped at `maxRetryDelay`) up to `maxAttempts`; 404 and every other
/// answer are final. Names are validated before anything is sent.
public struct HiscoresClient: Sendable {
    public struct Configuration: Sendable {
        /// OSRS_HISCORES_BASE, e.g. https://secure.runescape.com
        public var baseURL: String
        public var timeout: Duration
        var maxAttempts: Int
        var retryDelay: Duration
        var maxRetryDelay: Duration

        public init(
            baseURL: String = "https://secure.runescape.com", timeout: Duration = .seconds(10), maxAttempts: Int = 4,
            retryDelay: Duration = .seconds(1), maxRetryDelay: Duration = .seconds(16)
        ) {
            self.baseURL = baseURL
            self.timeout = timeout
            self.maxAttempts = max(1, maxAttempts)
            self.retryDelay = retryDelay
            self.maxRetryDelay = maxRetryDelay
        }
    }

    public let configuration: Configuration
    public let rateLimiter: RateLimiter
    private let http: any HTTPSending

    public init(http: any HTTPSending, rateLimiter: RateLimiter, configuration: Configuration = Configuration()) {
        self.http = http
        self.rateLimiter = rateLimiter
        self.configuration = configuration
    }

    /// The URL for one lookup.
    public func url(for rsn: RSN, board: HiscoresBoard) -> String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/m=\(board.rawValue)/index_lite.json?player=\(HTTPQuery.encode(rsn.display))"
    }

    /// Validates `name` first: an invalid one throws `.invalidName` and sends nothing.
    public func fetch(_ name: String, board: HiscoresBoard = .regular) async throws(HiscoresError) -> HiscoresFetch {
        let rsn: RSN
        do {
            rsn = try RSN(name)
        } catch {
            throw .invalidName(error)
        }
        return try await fetch(rsn, board: board)
    }

    public func fetch(_ rsn: RSN, board: HiscoresBoard = .regular) async throws(HiscoresError) -> HiscoresFetch {
        let request = HTTPRequest.get(url(for: rsn, board: board), headers: ["Accept": "application/json"], timeout: configuration.timeout)
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await rateLimiter.acquire()
            } catch {
                throw .cancelled
            }
            let outcome: Result<HTTPResponse, HTTPError>
            do {
                outcome = .success(try await http.send(request))
            } catch {
                outcome = .failure(error)
            }
            let retryable: Bool
            switch outcome {
            case .success(let response) where response.status == 200:
                let record: HiscoresRecord
                do {
                    record = try HiscoresParser.parse(response.body)
                } catch {
                    throw .malformedResponse(board: board, error)
                }
                return HiscoresFetch(
                    rsn: rsn, board: board, record: record, fetchedAt: Date(),
                    latencyMs: response.elapsedMilliseconds,
                    totalMs: Self.milliseconds(ContinuousClock.now - started), attempts: attempt)
            case .success(let response) where response.status == 404:
                throw .notOnHiscores(name: rsn.display, board: board)
            case .success(let response):
                retryable = response.isServerError
                if !retryable || attempt >= configuration.maxAttempts {
                    throw .unavailable(status: response.status, board: board, attempts: attempt)
                }
            case .failure(.cancelled):
                throw .cancelled
            case .failure(let error):
                retryable = error.isTimeout
                if !retryable || attempt >= configuration.maxAttempts { throw .transport(error, attempts: attempt) }
            }
            do {
                try await Task.sleep(for: backoff(afterAttempt: attempt))
            } catch {
                throw .cancelled
            }
        }
    }

    /// 1×, 2×, 4×… `retryDelay`, capped at `maxRetryDelay`.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        var delay = configuration.retryDelay
        for _ in 1..<max(1, attempt) {
            delay = delay * 2
            if delay >= configuration.maxRetryDelay { return configuration.maxRetryDelay }
        }
        return min(delay, configuration.maxRetryDelay)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
