import Foundation
import Testing
@testable import Discord

@Suite struct RateLimiterTests {
    let messages = Route.channelMessages(111)
    let otherChannel = Route.channelMessages(222)

    @Test func anUnknownBucketProceedsAndTheHeadersTeachItsLimit() {
        var limiter = RateLimiter()
        #expect(limiter.acquire(messages, now: 0) == .proceed)
        limiter.record(messages, .init(status: 200, bucket: "abcd", limit: 5, remaining: 0, resetAfter: 2.5), now: 0.1)
        #expect(limiter.acquire(messages, now: 0.2) == .wait(seconds: 2.4))
        #expect(limiter.acquire(messages, now: 2.6) == .proceed)
    }

    @Test func theMajorParameterSplitsABucket() {
        var limiter = RateLimiter()
        _ = limiter.acquire(messages, now: 0)
        limiter.record(messages, .init(status: 200, bucket: "abcd", limit: 5, remaining: 0, resetAfter: 3), now: 0)
        #expect(limiter.acquire(messages, now: 1) != .proceed)
        #expect(limiter.acquire(otherChannel, now: 1) == .proceed)
    }

    @Test func remainingCountsDownLocallyBetweenResponses() {
        var limiter = RateLimiter()
        _ = limiter.acquire(messages, now: 0)
        limiter.record(messages, .init(status: 200, bucket: "b", limit: 3, remaining: 2, resetAfter: 10), now: 0)
        #expect(limiter.acquire(messages, now: 1) == .proceed)
        #expect(limiter.acquire(messages, now: 1) == .proceed)
        #expect(limiter.acquire(messages, now: 1) == .wait(seconds: 9))
    }

    @Test func a429WithRetryAfterBlocksTheBucketOnly() {
        var limiter = RateLimiter()
        _ = limiter.acquire(messages, now: 0)
        limiter.record(messages, .init(status: 429, bucket: "b", scope: "user", retryAfter: 1.5), now: 0)
        #expect(limiter.acquire(messages, now: 0.5) == .wait(seconds: 1))
        #expect(limiter.acquire(otherChannel, now: 0.5) == .proceed)
        #expect(limiter.acquire(messages, now: 1.6) == .proceed)
    }

    @Test func aGlobal429BlocksEverythingButInteractionCallbacks() {
        var limiter = RateLimiter()
        _ = limiter.acquire(messages, now: 0)
        limiter.record(messages, .init(status: 429, scope: "global", global: true, retryAfter: 2), now: 0)
        #expect(limiter.acquire(otherChannel, now: 1) == .wait(seconds: 1))
        #expect(limiter.acquire(.interactionCallback(5, token: "t"), now: 1) == .proceed)
        #expect(limiter.acquire(otherChannel, now: 2) == .proceed)
    }

    @Test func theGlobalLimitCapsRequestsPerSecond() {
        var limiter = RateLimiter(globalLimit: 50)
        for index in 0..<50 { #expect(limiter.acquire(.channelMessages(Snowflake(UInt64(index))), now: 0.5) == .proceed) }
        #expect(limiter.acquire(messages, now: 0.9) == .wait(seconds: 0.6))
        #expect(limiter.acquire(.interactionCallback(1, token: "x"), now: 0.9) == .proceed)  // exempt
        #expect(limiter.acquire(messages, now: 1.51) == .proceed)
    }

    @Test func theInvalidRequestGuardRefusesOnceTheBudgetIsSpent() {
        var limiter = RateLimiter(invalidRequestBudget: 3)
        for second in 0..<3 {
            _ = limiter.acquire(messages, now: Double(second))
            limiter.record(messages, .init(status: second == 2 ? 429 : 401, retryAfter: 0), now: Double(second))
        }
        guard case .refuse(let message) = limiter.acquire(messages, now: 10) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(message.contains("10,000"))
        #expect(message.contains("DISCORD_TOKEN"))
        // Ten minutes after the first, the window has room again.
        #expect(limiter.acquire(messages, now: 600.5) == .proceed)
    }

    @Test func sharedScope429sAreNotInvalidRequests() {
        var limiter = RateLimiter(invalidRequestBudget: 1)
        limiter.record(messages, .init(status: 429, scope: "shared", retryAfter: 0.1), now: 0)
        #expect(limiter.invalidRequestsInWindow == 0)
        limiter.record(messages, .init(status: 403), now: 0)
        #expect(limiter.invalidRequestsInWindow == 1)
    }

    @Test func expiredBucketsOfOneOffTokensAreForgotten() {
        var limiter = RateLimiter()
        for index in 0..<1000 {
            let route = Route.followUp(1, token: "token-\(index)")
            _ = limiter.acquire(route, now: Double(index))
            limiter.record(route, .init(status: 200, bucket: "wh", limit: 5, remaining: 4, resetAfter: 2), now: Double(index))
        }
        #expect(limiter.bucketCount <= RateLimiter.pruneThreshold + 1)
        // A live bucket survives pruning.
        let live = Route.followUp(1, token: "token-999")
        _ = limiter.acquire(live, now: 999.5)
        #expect(limiter.acquire(live, now: 999.6) == .proceed)
    }

    @Test func routesKeyOnTemplateAndMajorParameterAndNeverPrintTokens() {
        let edit = Route.originalResponse(9, token: "secret-token")
        #expect(edit.path == "/webhooks/9/secret-token/messages/@original")
        #expect(edit.routeKey == "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original")
        #expect(!edit.description.contains("secret"))
        #expect(Route.guildCommands(1, guild: 2, .put).majorParameter == "guild:2")
        #expect(Route.interactionCallback(1, token: "t").exemptFromGlobalLimit)
    }
}
