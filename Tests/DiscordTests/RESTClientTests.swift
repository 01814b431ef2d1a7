import Foundation
import Testing
import TestSupport
@testable import Discord

extension RecordingDiscordTransport {
    /// Answers `steps` in order, whatever the route, then 599; records every request.
    convenience init(_ steps: [Answer]) {
        self.init(apiBase: "http://127.0.0.1:1/api/v10", fallback: { _ in .status(599) })
        answer(where: { _ in true }, with: steps)
    }
}

func response(_ status: Int, _ body: String = "{}", headers: [String: String] = [:]) -> RecordingDiscordTransport.Answer {
    RecordingDiscordTransport.Answer(status: status, headers: headers, body: Data(body.utf8))
}

/// A clock that only moves when the client sleeps, so waits are exact and instant.
final class FakeClock: Sendable {
    let time = LockedValue(0.0)
    let sleeps = LockedValue<[Double]>([])

    var now: @Sendable () -> Double { { [time] in time.value } }
    var sleep: @Sendable (Double) async throws -> Void {
        { [time, sleeps] seconds in
            sleeps.withLock { $0.append(seconds) }
            time.withLock { $0 += seconds }
        }
    }
}

@Suite struct RESTClientTests {
    func client(_ transport: RecordingDiscordTransport, clock: FakeClock, options: DiscordREST.Options = .init()) -> DiscordREST {
        DiscordREST(token: "bot-token", apiBase: "http://127.0.0.1:1/api/v10", transport: transport, options: options, now: clock.now, sleep: clock.sleep)
    }

    @Test func sendsAuthorizationUserAgentAndJSON() async throws {
        let transport = RecordingDiscordTransport([response(200, #"{"id":"1","channel_id":"2","content":"hi"}"#)])
        let rest = client(transport, clock: FakeClock())
        let message = try await rest.createMessage(channel: 2, MessagePayload(content: "hi"))
        #expect(message.id == 1)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.route == "/channels/2/messages")
        #expect(request.headers["Authorization"] == "Bot bot-token")
        #expect(request.headers["User-Agent"]?.hasPrefix("DiscordBot (https://") == true)
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any]
        #expect(body?["content"] as? String == "hi")
        #expect((body?["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
    }

    @Test func waitsForAnExhaustedBucketBeforeTheNextRequest() async throws {
        let headers = ["X-RateLimit-Bucket": "b1", "X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "2.5"]
        let transport = RecordingDiscordTransport([response(200, #"{"id":"1"}"#, headers: headers), response(200, #"{"id":"2"}"#, headers: headers)])
        let clock = FakeClock()
        let rest = client(transport, clock: clock)
        try await rest.createMessage(channel: 2, MessagePayload(content: "a"))
        try await rest.createMessage(channel: 2, MessagePayload(content: "b"))
        #expect(clock.sleeps.value == [2.5])
        #expect(transport.requests.count == 2)
    }

    @Test func a429IsRetriedAfterRetryAfter() async throws {
        let transport = RecordingDiscordTransport([
            response(429, #"{"message":"You are being rate limited.","retry_after":1.25,"global":false}"#, headers: ["Retry-After": "2", "X-RateLimit-Scope": "user"]),
            response(200, #"{"id":"7"}"#),
        ])
        let clock = FakeClock()
        let message = try await client(transport, clock: clock).createMessage(channel: 3, MessagePayload(content: "x"))
        #expect(message.id == 7)
        #expect(clock.sleeps.value == [1.25])  // the body's precise value wins over the header's whole seconds
    }

    @Test func aGlobal429HoldsBackOtherRoutesToo() async throws {
        let transport = RecordingDiscordTransport([
            response(429, #"{"message":"global","retry_after":3,"global":true}"#, headers: ["X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"]),
            response(200, #"{"id":"1"}"#),
        ])
        let clock = FakeClock()
        try await client(transport, clock: clock).createMessage(channel: 3, MessagePayload(content: "x"))
        #expect(clock.sleeps.value == [3])
    }

    @Test func a502IsRetriedWithBackoffAndGivesUpWithAClearError() async throws {
        let clock = FakeClock()
        var options = DiscordREST.Options()
        options.maxRetries = 2
        let transport = RecordingDiscordTransport([response(502, "bad gateway"), response(502), response(502)])
        await #expect(throws: DiscordRESTError.server(route: "GET /gateway/bot", status: 502)) {
            try await client(transport, clock: clock, options: options).gatewayBot()
        }
        #expect(clock.sleeps.value == [0.5, 1.0])
        #expect(transport.requests.count == 3)

        let recovering = RecordingDiscordTransport([response(502), response(200, #"{"url":"wss://g","shards":2,"session_start_limit":{"total":1000,"remaining":999,"reset_after":1000,"max_concurrency":1}}"#)])
        let info = try await client(recovering, clock: FakeClock()).gatewayBot()
        #expect(info.shards == 2)
        #expect(info.sessionStartLimit.remaining == 999)
    }

    @Test func a500OnAPostIsNotRepeated() async throws {
        let transport = RecordingDiscordTransport([response(500)])
        await #expect(throws: DiscordRESTError.self) {
            try await client(transport, clock: FakeClock()).createMessage(channel: 1, MessagePayload(content: "once"))
        }
        #expect(transport.requests.count == 1)
    }

    @Test func errorsCarryDiscordsBodyWithFieldDetails() async throws {
        let body = #"{"code":50035,"message":"Invalid Form Body","errors":{"embeds":{"0":{"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 4096 or fewer in length."}]}}}}}"#
        let transport = RecordingDiscordTransport([response(400, body)])
        do {
            try await client(transport, clock: FakeClock()).createMessage(channel: 1, MessagePayload(content: "x"))
            Issue.record("expected an error")
        } catch {
            #expect(error.discordCode == 50035)
            #expect(error.description.contains("embeds.0.description: Must be 4096 or fewer in length."))
            #expect(error.description.contains("Invalid Form Body"))
        }
    }

    @Test func transportFailuresOfSafeRequestsAreRetried() async throws {
        let transport = RecordingDiscordTransport([.dropped, response(200, #"{"id":"5","name":"clanbot"}"#)])
        let application = try await client(transport, clock: FakeClock()).currentApplication()
        #expect(application.id == 5)
    }

    @Test func currentApplicationFallsBackToTheOAuthEndpoint() async throws {
        let transport = RecordingDiscordTransport([response(404, #"{"code":0,"message":"404: Not Found"}"#), response(200, #"{"id":"6","name":"clanbot"}"#)])
        let application = try await client(transport, clock: FakeClock()).currentApplication()
        #expect(application.id == 6)
        #expect(transport.requests.map(\.route).last?.hasSuffix("/oauth2/applications/@me") == true)
    }

    @Test func theInvalidRequestGuardStopsSendingAndSaysSo() async throws {
        var options = DiscordREST.Options()
        options.invalidRequestBudget = 2
        let transport = RecordingDiscordTransport([response(401, #"{"code":0,"message":"401: Unauthorized"}"#), response(401, #"{"code":0,"message":"401: Unauthorized"}"#)])
        let rest = client(transport, clock: FakeClock(), options: options)
        for _ in 0..<2 { _ = try? await rest.gatewayBot() }
        do {
            _ = try await rest.gatewayBot()
            Issue.record("expected a refusal")
        } catch {
            guard case .refused(_, let message) = error else {
                Issue.record("expected .refused, got \(error)")
                return
            }
            #expect(message.contains("stopped calling Discord"))
        }
        #expect(transport.requests.count == 2)
    }

    @Test func aWaitLongerThanTheMaximumFailsInsteadOfHanging() async throws {
        let transport = RecordingDiscordTransport([response(429, #"{"message":"slow down","retry_after":3600,"global":false}"#)])
        await #expect(throws: DiscordRESTError.rateLimited(route: "POST /channels/{channel_id}/messages", retryAfter: 3600, global: false)) {
            try await client(transport, clock: FakeClock()).createMessage(channel: 1, MessagePayload(content: "x"))
        }
    }
}
