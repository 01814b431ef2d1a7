/// Discord's REST rate limits as pure bookkeeping over a clock in seconds: per-bucket limits learned from
/// response headers, the global limit, 429s, and a guard on invalid requests. No I/O; `DiscordREST` asks
/// `acquire` before each request and reports each response to `record`.
public struct RateLimiter: Sendable {
    public enum Decision: Sendable, Equatable {
        case proceed
        case wait(seconds: Double)
        /// Sending would risk Discord's IP ban; the message says why and for how long.
        case refuse(String)
    }

    /// What `record` needs from a response.
    public struct Observation: Sendable, Equatable {
        public var status: Int
        var bucket: String?
        public var limit: Int?
        public var remaining: Int?
        var resetAfter: Double?
        public var scope: String?
        public var global: Bool
        public var retryAfter: Double?

        public init(status: Int, bucket: String? = nil, limit: Int? = nil, remaining: Int? = nil, resetAfter: Double? = nil,
                    scope: String? = nil, global: Bool = false, retryAfter: Double? = nil) {
            self.status = status
            self.bucket = bucket
            self.limit = limit
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.scope = scope
            self.global = global
            self.retryAfter = retryAfter
        }
    }

    struct BucketState: Sendable, Equatable {
        var limit: Int
        var remaining: Int
        var resetAt: Double
        /// The last reset-after seen: the best guess for the next window's length until a response says.
        var window: Double
    }

    let globalLimit: Int
    /// Invalid requests (401, 403, 429 other than shared-scope) allowed per 10 minutes. Discord bans an IP at
    /// 10,000; the default stays at a tenth of that.
    let invalidRequestBudget: Int
    public static let invalidRequestWindow = 600.0
    static let pruneThreshold = 256

    private var bucketHashes: [String: String] = [:]   // route key → X-RateLimit-Bucket
    private var buckets: [String: BucketState] = [:]   // (bucket hash or route key) + major parameter → state
    private var globalSends: [Double] = []
    private var globalBlockedUntil = 0.0
    private var invalidRequests: [Double] = []

    public init(globalLimit: Int = 50, invalidRequestBudget: Int = 1000) {
        self.globalLimit = globalLimit
        self.invalidRequestBudget = invalidRequestBudget
    }

    func bucketKey(_ route: Route) -> String {
        (bucketHashes[route.routeKey] ?? route.routeKey) + "|" + (route.majorParameter ?? "")
    }

    /// Whether `route` may be sent now. On `.proceed` the request is counted (bucket and global).
    public mutating func acquire(_ route: Route, now: Double) -> Decision {
        invalidRequests.removeAll { $0 <= now - Self.invalidRequestWindow }
        if invalidRequests.count >= invalidRequestBudget, let oldest = invalidRequests.first {
            let resume = Int((oldest + Self.invalidRequestWindow - now).rounded(.up))
            return .refuse(
                "clanbot stopped calling Discord: \(invalidRequests.count) requests were rejected (401/403/429) in the last 10 minutes, "
                    + "and Discord bans the IP address at 10,000. Check DISCORD_TOKEN and the bot's permissions; requests resume in \(resume) s."
            )
        }
        if !route.exemptFromGlobalLimit {
            if now < globalBlockedUntil { return .wait(seconds: globalBlockedUntil - now) }
            globalSends.removeAll { $0 <= now - 1 }
            if globalSends.count >= globalLimit, let oldest = globalSends.first {
                return .wait(seconds: max(oldest + 1 - now, 0.001))
            }
        }
        if buckets.count > Self.pruneThreshold {
            // Every interaction token is a major parameter of its own: forget buckets whose window has passed
            // (they would start full again anyway) so a long-running bot does not accumulate them.
            buckets = buckets.filter { $0.value.resetAt > now }
        }
        let key = bucketKey(route)
        if var state = buckets[key] {
            if now >= state.resetAt {
                state.remaining = state.limit
                state.resetAt = now + state.window
            }
            if state.remaining <= 0 { return .wait(seconds: max(state.resetAt - now, 0.001)) }
            state.remaining -= 1
            buckets[key] = state
        }
        if !route.exemptFromGlobalLimit { globalSends.append(now) }
        return .proceed
    }

    /// Learns from a response.
    public mutating func record(_ route: Route, _ observation: Observation, now: Double) {
        if let bucket = observation.bucket, bucketHashes[route.routeKey] != bucket {
            // The first response names the bucket: move what we knew under the route key to it.
            let oldKey = bucketKey(route)
            bucketHashes[route.routeKey] = bucket
            if let state = buckets.removeValue(forKey: oldKey) { buckets[bucketKey(route)] = state }
        }
        let key = bucketKey(route)
        if let limit = observation.limit, let remaining = observation.remaining, let resetAfter = observation.resetAfter {
            let resetAt = now + resetAfter
            if var state = buckets[key], abs(state.resetAt - resetAt) < 0.5 {
                // Same window: responses can arrive out of order, keep the lower count.
                state.remaining = min(state.remaining, remaining)
                state.limit = limit
                buckets[key] = state
            } else {
                buckets[key] = BucketState(limit: limit, remaining: remaining, resetAt: resetAt, window: max(resetAfter, 0.001))
            }
        }
        switch observation.status {
        case 429:
            let retryAfter = observation.retryAfter ?? observation.resetAfter ?? 1
            if observation.global {
                globalBlockedUntil = max(globalBlockedUntil, now + retryAfter)
            } else {
                var state = buckets[key] ?? BucketState(limit: observation.limit ?? 1, remaining: 0, resetAt: now + retryAfter, window: retryAfter)
                state.remaining = 0
                state.resetAt = max(state.resetAt, now + retryAfter)
                buckets[key] = state
            }
            // Shared-scope 429s (a resource's own limit) do not count toward the invalid request limit.
            if observation.scope != "shared" { invalidRequests.append(now) }
        case 401, 403:
            invalidRequests.append(now)
        default:
            break
        }
    }

    var invalidRequestsInWindow: Int { invalidRequests.count }
    var bucketCount: Int { buckets.count }

    /// Seconds until a global 429 stops holding requests back (0 when none does).
    public func globalBlockRemaining(now: Double) -> Double { max(globalBlockedUntil - now, 0) }
}
