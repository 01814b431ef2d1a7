import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// The REST client over libcurl against the fake Discord's HTTP API: rate limits and retries with real time.
@Suite struct FakeDiscordRESTTests {
    func makeDiscord() throws -> FakeDiscord { try FakeDiscord { _ in } }

    func client(_ discord: FakeDiscord) throws -> DiscordREST {
        DiscordREST(token: "rest-token", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil))
    }

    func times(_ discord: FakeDiscord, _ path: String) -> Int { discord.restRequests.filter { $0.path == path }.count }

    @Test func aBucketAtRemainingZeroHoldsTheNextRequestUntilItResets() async throws {
        let discord = try makeDiscord()
        let headers: HTTPHeaders = ["X-RateLimit-Bucket": "abc", "X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.6"]
        discord.router.route("POST", "/api/v10/channels/10/messages") { _ in .json(#"{"id":"1","channel_id":"10"}"#, headers: headers) }
        let rest = try client(discord)
        let start = ContinuousClock.now
        try await rest.createMessage(channel: 10, MessagePayload(content: "one"))
        let afterFirst = ContinuousClock.now - start
        try await rest.createMessage(channel: 10, MessagePayload(content: "two"))
        let waited = ContinuousClock.now - start - afterFirst
        #expect(waited >= .milliseconds(550), "\(waited)")
        #expect(times(discord, "/api/v10/channels/10/messages") == 2)
        let request = try #require(discord.restRequests.last)
        #expect(request.headers["Authorization"] == "Bot rest-token")
        #expect(request.headers["User-Agent"]?.hasPrefix("DiscordBot (") == true)
    }

    @Test func a429WithRetryAfterIsWaitedOutAndRetried() async throws {
        let discord = try makeDiscord()
        discord.router.route("POST", "/api/v10/channels/11/messages", script: [
            .json(#"{"message":"You are being rate limited.","retry_after":0.4,"global":false}"#, status: 429, headers: ["Retry-After": "1", "X-RateLimit-Scope": "user"]),
            .json(#"{"id":"2","channel_id":"11"}"#),
        ])
        let start = ContinuousClock.now
        let message = try await client(discord).createMessage(channel: 11, MessagePayload(content: "x"))
        #expect(message.id == 2)
        #expect(ContinuousClock.now - start >= .milliseconds(380))
        #expect(times(discord, "/api/v10/channels/11/messages") == 2)
    }

    /// Real HTTP to the fake, but the client waits on a clock the test moves: on a loaded machine a test can
    /// be starved for longer than any real-time block, so "held" is shown by who sleeps, not by how long.
    @Test func aGlobal429HoldsEveryRouteButInteractionCallbacks() async throws {
        let discord = try makeDiscord()
        discord.router.route("POST", "/api/v10/channels/12/messages", script: [
            .json(#"{"message":"global","retry_after":8,"global":true}"#, status: 429, headers: ["X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"]),
            .json(#"{"id":"3"}"#),
        ])
        discord.router.route("POST", "/api/v10/channels/13/messages") { _ in .json(#"{"id":"4"}"#) }
        discord.router.route("POST", "/api/v10/interactions/9/tok/callback") { _ in .status(204) }
        let clock = ManualClock()
        let rest = DiscordREST(token: "rest-token", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil),
                               now: { clock.elapsedSeconds }, sleep: { try await clock.sleep(for: .milliseconds(Int($0 * 1000))) })
        async let first = rest.createMessage(channel: 12, MessagePayload(content: "x"))
        await clock.waitForSleepers(1)  // the first request read the global 429 and waits it out
        #expect(await rest.globalRateLimitRemaining == 8)
        // Exempt from the global limit: the callback goes out while the block holds.
        try await rest.respond(to: 9, token: "tok", with: .message("hi"))
        #expect(times(discord, "/api/v10/interactions/9/tok/callback") == 1)
        // Any other route is held until the block lifts.
        async let other = rest.createMessage(channel: 13, MessagePayload(content: "y"))
        await clock.waitForSleepers(2)
        #expect(times(discord, "/api/v10/channels/13/messages") == 0)
        clock.advance(by: .seconds(8))
        #expect(try await other.id == 4)
        #expect(try await first.id == 3)
        #expect(times(discord, "/api/v10/channels/12/messages") == 2)
        #expect(times(discord, "/api/v10/channels/13/messages") == 1)
    }

    @Test func a502IsRetriedAndThenSucceeds() async throws {
        let discord = try makeDiscord()
        discord.router.route("GET", "/api/v10/applications/@me", script: [
            .text("<html>502 Bad Gateway</html>", status: 502),
            .json(#"{"id":"77","name":"clanbot"}"#),
        ])
        let application = try await client(discord).currentApplication()
        #expect(application.id == 77)
        #expect(times(discord, "/api/v10/applications/@me") == 2)
    }

    @Test func anErrorBodyComesBackTyped() async throws {
        let discord = try makeDiscord()
        discord.router.route("PUT", "/api/v10/applications/1/commands") { _ in
            .json(#"{"code":50035,"message":"Invalid Form Body","errors":{"0":{"name":{"_errors":[{"code":"APPLICATION_COMMAND_INVALID_NAME","message":"Command name is invalid"}]}}}}"#, status: 400)
        }
        let rest = try client(discord)
        do {
            _ = try await rest.bulkOverwriteCommands(application: 1, guild: nil, commands: Data("[]".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.discordCode == 50035)
            #expect(error.description.contains("0.name: Command name is invalid"))
        }
    }

    @Test func gatewayBotIsReadFromTheFake() async throws {
        let discord = try FakeDiscord(shards: 3, remaining: 42, maxConcurrency: 16) { _ in }
        let info = try await client(discord).gatewayBot()
        #expect(info.shards == 3)
        #expect(info.url == discord.gatewayURL)
        #expect(info.sessionStartLimit == SessionStartLimit(total: 1000, remaining: 42, resetAfter: 14_400_000, maxConcurrency: 16))
    }
}
