import Foundation
import Testing
import Cryptography
import TestSupport
@testable import Domain

@Suite struct WebhookEventTests {
    @Test func emptyOrAllMeansEveryEvent() throws {
        #expect(try WebhookEvent.parseList("") == Set(WebhookEvent.allCases))
        #expect(try WebhookEvent.parseList(" all ") == Set(WebhookEvent.allCases))
    }

    @Test func listsSplitOnCommasAndSpaces() throws {
        #expect(try WebhookEvent.parseList("snapshot.finished, Contest.Drawn") == [.snapshotFinished, .contestDrawn])
    }

    @Test func unknownEventsAreNamedInTheError() {
        #expect(throws: WebhookEvent.ParseError(unknown: ["contest.won", "x"])) {
            try WebhookEvent.parseList("contest.won, snapshot.failed, x")
        }
        let message = WebhookEvent.ParseError(unknown: ["x"]).description
        #expect(message.contains("snapshot.finished"))
    }
}

@Suite struct WebhookURLPolicyTests {
    @Test func httpsIsAccepted() throws {
        let url = try WebhookURLPolicy().validate("  https://discord.com/api/webhooks/1/abc ")
        #expect(url.host == "discord.com")
    }

    @Test func plainHTTPIsRefusedUnlessLoopbackIsAllowed() throws {
        #expect(throws: WebhookURLPolicy.Rejection.self) { try WebhookURLPolicy().validate("http://example.com/hook") }
        #expect(throws: WebhookURLPolicy.Rejection.self) { try WebhookURLPolicy().validate("http://127.0.0.1:8080/hook") }
        let loopback = WebhookURLPolicy(allowLoopback: true)
        #expect(try loopback.validate("http://127.0.0.1:8080/hook").port == 8080)
        #expect(try loopback.validate("http://localhost/hook").host == "localhost")
        #expect(throws: WebhookURLPolicy.Rejection.self) { try loopback.validate("http://10.0.0.1/hook") }
    }

    @Test func garbageAndCredentialsAreRefused() {
        for text in ["", "discord.com/api/webhooks/1", "ftp://x.org/a", "https://user:pw@host.org/x"] {
            #expect(throws: WebhookURLPolicy.Rejection.self) { try WebhookURLPolicy().validate(text) }
        }
    }

    @Test func maskingHidesTheTokenPart() {
        let masked = WebhookURLPolicy.masked("https://discord.com/api/webhooks/123456/SECRET-TOKEN")
        #expect(masked == "https://discord.com/api/…")
        #expect(!masked.contains("SECRET"))
        #expect(WebhookURLPolicy.masked("https://hooks.slack.com/services/T0/B0/XXXX") == "https://hooks.slack.com/services/…")
        #expect(WebhookURLPolicy.masked("not a url") == "(hidden)")
    }
}

@Suite struct WebhookSignatureTests {
    @Test func signatureIsHMACOfTimestampDotBody() {
        let body = Array(#"{"event":"contest.drawn"}"#.utf8)
        let secret = Array("s3cret".utf8)
        let signature = WebhookSignature.sign(body: body, secret: secret, timestamp: 1_700_000_000)
        let expected = "v1=" + Digest.hmacSHA256(key: secret, message: Array("1700000000.".utf8) + body).hexString
        #expect(signature == expected)
        #expect(WebhookSignature.isValid(signature: signature, body: body, secret: secret, timestamp: 1_700_000_000))
        #expect(!WebhookSignature.isValid(signature: signature, body: body + [0x20], secret: secret, timestamp: 1_700_000_000))
        #expect(!WebhookSignature.isValid(signature: signature, body: body, secret: secret, timestamp: 1_700_000_001))
        #expect(!WebhookSignature.isValid(signature: "v1=00", body: body, secret: secret, timestamp: 1_700_000_000))
    }

    @Test func anIndependentImplementationAgrees() async throws {
        // A receiver written with Python's standard library must accept what we send.
        let body = Array(#"{"clan":"Iron Foundry","event":"snapshot.finished"}"#.utf8)
        let signature = WebhookSignature.sign(body: body, secret: Array("k".utf8), timestamp: 42)
        let script = """
        import hmac, hashlib, sys
        body = sys.stdin.buffer.read()
        print("v1=" + hmac.new(b"k", b"42." + body, hashlib.sha256).hexdigest())
        """
        let result = try await ChildProcess.run(["python3", "-c", script], input: Data(body))
        let printed = result.text
        #expect(printed.trimmingCharacters(in: .whitespacesAndNewlines) == signature)
    }
}

@Suite struct WebhookRendererTests {
    let date = Date(timeIntervalSince1970: 1_764_000_000)

    func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func discordBodiesStayWithinEmbedLimits() throws {
        let fields = (0..<40).map { _ in WebhookMessage.Field(name: String(repeating: "n", count: 300), value: String(repeating: "v", count: 2000)) }
        let message = WebhookMessage(
            event: .snapshotFinished, clanName: "Iron Foundry", title: String(repeating: "T", count: 400),
            description: String(repeating: "d", count: 5000), fields: fields, occurredAt: date)
        let body = try json(WebhookRenderer.body(for: message, provider: .discord))
        let embeds = try #require(body["embeds"] as? [[String: Any]])
        let embed = try #require(embeds.first)
        let title = try #require(embed["title"] as? String)
        let description = try #require(embed["description"] as? String)
        let renderedFields = try #require(embed["fields"] as? [[String: Any]])
        #expect(title.count <= 256)
        #expect(description.count <= 4096)
        #expect(renderedFields.count <= 25)
        var total = title.count + description.count
        for field in renderedFields {
            let name = try #require(field["name"] as? String), value = try #require(field["value"] as? String)
            #expect(name.count <= 256 && value.count <= 1024)
            total += name.count + value.count
        }
        if let footer = embed["footer"] as? [String: Any], let text = footer["text"] as? String { total += text.count }
        #expect(total <= 6000)
    }

    @Test func slackBodiesUseBlocksWithAtMostTenFieldsEach() throws {
        let fields = (0..<13).map { WebhookMessage.Field(name: "Member \($0)", value: "\($0)k xp") }
        let message = WebhookMessage(event: .contestDrawn, clanName: "C", title: "Winner", description: "Zezima won", fields: fields, occurredAt: date)
        let body = try json(WebhookRenderer.body(for: message, provider: .slack))
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        let sections = blocks.compactMap { $0["fields"] as? [[String: Any]] }
        #expect(sections.map(\.count) == [10, 3])
        #expect((body["text"] as? String)?.contains("Zezima won") == true)
    }

    @Test func officerWrittenTextCannotMentionEveryoneOnSlack() throws {
        // A contest named by an officer, a prize with an ampersand: Slack reads <…> as a mention or a link.
        let message = WebhookMessage(event: .contestActivated, clanName: "Clan <!here>", title: "<!channel> Bonanza",
                                     description: "Prize: 10m & a <@U123> shout <https://evil.example|click>",
                                     fields: [.init(name: "<!everyone>", value: "<!subteam^S1>"), .init(name: "Ends", time: date)],
                                     occurredAt: date)
        let body = try json(WebhookRenderer.body(for: message, provider: .slack))
        let texts = try Self.slackTexts(body)
        for text in texts { #expect(!text.contains("<!channel") && !text.contains("<!here") && !text.contains("<!everyone") && !text.contains("<@")) }
        #expect(texts.contains { $0.contains("&lt;!channel&gt; Bonanza") })
        #expect(texts.contains { $0.contains("10m &amp; a &lt;@U123&gt; shout &lt;https://evil.example|click&gt;") })
        // The time token clanbot writes itself still works.
        #expect(texts.contains { $0.contains("<!date^1764000000^") })
    }

    /// Every text Slack renders in the body: the fallback text and each block's texts.
    static func slackTexts(_ body: [String: Any]) throws -> [String] {
        var texts = [body["text"] as? String ?? ""]
        for block in body["blocks"] as? [[String: Any]] ?? [] {
            if let text = (block["text"] as? [String: Any])?["text"] as? String { texts.append(text) }
            for field in block["fields"] as? [[String: Any]] ?? [] { texts.append(field["text"] as? String ?? "") }
            for element in block["elements"] as? [[String: Any]] ?? [] { texts.append(element["text"] as? String ?? "") }
        }
        return texts
    }

    @Test func timeFieldsShowInEachReadersTimeZoneWhereTheProviderCan() throws {
        let message = WebhookMessage(event: .contestActivated, clanName: "C", title: "t", description: "d",
                                     fields: [.init(name: "Ends", time: date, inline: true)], occurredAt: date)
        let discord = try json(WebhookRenderer.body(for: message, provider: .discord))
        let embed = try #require((discord["embeds"] as? [[String: Any]])?.first)
        let field = try #require((embed["fields"] as? [[String: Any]])?.first)
        #expect(field["value"] as? String == "<t:1764000000:F> (<t:1764000000:R>)")

        let slack = try json(WebhookRenderer.body(for: message, provider: .slack))
        let texts = (slack["blocks"] as? [[String: Any]])?.compactMap { $0["fields"] as? [[String: Any]] }.flatMap { $0 }.compactMap { $0["text"] as? String }
        #expect(texts == ["*Ends*\n<!date^1764000000^{date_short_pretty} {time}|2025-11-24T16:00:00Z>"])

        let custom = try json(WebhookRenderer.body(for: message, provider: .custom))
        let customField = try #require((custom["fields"] as? [[String: Any]])?.first)
        #expect(customField["value"] as? String == "2025-11-24T16:00:00Z")
    }

    @Test func customBodiesCarryTheEventAndData() throws {
        let message = WebhookMessage(event: .contestEnded, clanName: "C", title: "t", description: "d", occurredAt: date, data: ["entries_sha256": "ab12"])
        let body = try json(WebhookRenderer.body(for: message, provider: .custom))
        #expect(body["event"] as? String == "contest.ended")
        #expect((body["data"] as? [String: String])?["entries_sha256"] == "ab12")
        #expect((body["occurred_at"] as? String)?.hasPrefix("2025-11-24") == true)
    }
}
