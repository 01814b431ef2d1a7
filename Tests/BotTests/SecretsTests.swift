import Bot
import Discord
import Foundation
import Testing
import TestSupport
import Transport

/// Secrets stay secret through a whole clan journey: the bot token, the tokens inside Discord and Slack
/// webhook URLs and a custom webhook's signing secret never appear in the log, in an error, or in anything
/// sent to Discord (replies, edits, webhook posts). The one exception is by design: the signing secret is
/// shown once, privately, to whoever added the custom webhook.
@Suite struct SecretsTests {
    static let botToken = "MTE4MTM5MDc0MDQyNTgzNDU2Nw.GsEcRt.journey-bot-token-0123456789abcdef"
    static let discordHookToken = "DiscordHookToken-aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5z"
    static let brokenHookToken = "BrokenHookToken-zY9xW7vU5tS3rQ1pO9nM7lK5jI3hG1fE9dC7b"
    static let slackSecret = "SlackSecretXoXb1234567890abcdef"
    static let rejectedHookToken = "RejectedHookToken-0f9e8d7c6b5a"

    /// A slash command answered through `rest` (which carries the journey's bot token).
    static func command(_ bot: BotHarness, rest: DiscordREST, _ path: String, _ options: [String: any Sendable] = [:],
                        as user: TestUser = .serverManager, type: Int = 2, focused: String? = nil, id: Int) async throws -> Exchange {
        let names = path.split(separator: " ").map(String.init)
        let values: [[String: Any]] = options.map { name, value in
            var option: [String: Any] = ["name": name, "value": value, "type": value is Int ? 4 : 3]
            if name == focused { option["focused"] = true }
            return option
        }
        let data: [String: Any] = ["id": "1", "name": names[0], "type": 1, "options": [["name": names[1], "type": 1, "options": values]]]
        let json = try bot.interactionJSON(type: type, data: data, user: user, id: id)
        let interaction = try JSONDecoder().decode(Interaction.self, from: json)
        await bot.router.handle(interaction, responder: InteractionResponder(interaction: interaction, rest: rest))
        return bot.exchange(token: "tok-\(id)")
    }

    /// End to end over loopback HTTP and libcurl: what went over the wire is what is checked.
    @Test func noSecretAppearsInTheLogAnErrorOrAnythingSentToDiscord() async throws {
        let bot = try BotHarness(discordOverHTTP: true)
        try await bot.seedClan()
        let rest = DiscordREST(token: Self.botToken, apiBase: bot.configuration.discordAPIBase, transport: try HTTPClientTransport(caFile: nil))
        // One receiver for every webhook; a missing Discord webhook answers 404 and, like some servers, echoes the path.
        let posts = LockedValue<[HTTPTestRequest]>([])
        let receiver = try HTTPTestServer { request in
            posts.withLock { $0.append(request) }
            if request.path.contains(Self.brokenHookToken) {
                return .json(#"{"message":"Unknown Webhook at \#(request.path)","code":10015}"#, status: 404)
            }
            return .status(204)
        }
        defer { receiver.stop() }
        var id = 50_000
        func run(_ path: String, _ options: [String: any Sendable] = [:], as user: TestUser = .serverManager) async throws -> Exchange {
            id += 1
            return try await Self.command(bot, rest: rest, path, options, as: user, id: id)
        }

        let added = [
            try await run("webhook add", ["url": receiver.baseURL + "/api/webhooks/112233/\(Self.discordHookToken)", "provider": "discord", "events": "all"]),
            try await run("webhook add", ["url": receiver.baseURL + "/services/T0001/B0002/\(Self.slackSecret)", "provider": "slack", "events": "all"]),
            try await run("webhook add", ["url": receiver.baseURL + "/api/webhooks/445566/\(Self.brokenHookToken)", "provider": "discord", "events": "all"]),
            try await run("webhook add", ["url": receiver.baseURL + "/hooks/clan-receiver", "provider": "custom", "events": "all"]),
        ]
        for exchange in added { #expect(exchange.lastText.contains("added"), "\(exchange.lastText)") }
        let secretAnswer = try #require(added.last)
        let customSecret = try #require(secretAnswer.lastText.firstMatch(of: /`([0-9a-f]{64})`/)?.1).description
        #expect(secretAnswer.lastIsEphemeral)

        // Mistakes echo nothing of the URL they were given.
        let rejected = try await run("webhook add", ["url": "ftp://discord.com/api/webhooks/1/\(Self.rejectedHookToken)", "provider": "discord"])
        #expect(rejected.lastIsEphemeral)
        #expect(!rejected.lastText.isEmpty)

        // A batch posts to every webhook; the broken one records its error.
        _ = try await run("snapshot run", as: .officer)
        await bot.announced()
        #expect(posts.value.count >= 4)
        _ = try await run("webhook list")
        for webhook in 1...4 { _ = try await run("webhook test", ["id": webhook]) }
        id += 1
        _ = try await Self.command(bot, rest: rest, "webhook remove", ["id": 1], type: 4, focused: "id", id: id)  // autocomplete
        let listed = try await run("webhook list")
        #expect(listed.lastText.contains("HTTP 404"), "\(listed.lastText)")
        _ = try await run("webhook remove", ["id": 3])

        // What was sent to Discord: every request body and path, the log, and what the webhooks received.
        let sentToDiscord = bot.discord.requests.map { $0.path + "\n" + String(decoding: $0.body, as: UTF8.self) }
        let webhookBodies = posts.value.map { String(decoding: $0.body, as: UTF8.self) }
        let log = bot.logs.value.joined(separator: "\n")
        #expect(bot.discord.requests.allSatisfy { $0.headers["Authorization"] == "Bot \(Self.botToken)" })
        for secret in [Self.botToken, Self.discordHookToken, Self.brokenHookToken, Self.slackSecret, Self.rejectedHookToken, customSecret] {
            let inDiscord = sentToDiscord.filter { $0.contains(secret) }
            if secret == customSecret {
                #expect(inDiscord.count == 1, "the signing secret is shown once, when the webhook is added")
            } else {
                #expect(inDiscord.isEmpty, "\(secret) was sent to Discord: \(inDiscord.first ?? "")")
            }
            #expect(!webhookBodies.contains { $0.contains(secret) }, "\(secret) was posted to a webhook")
            #expect(!log.contains(secret), "\(secret) is in the log: \(log)")
        }
        // Nor any part of a webhook URL's path after its first segment.
        for fragment in ["112233", "445566", "T0001/B0002", "clan-receiver"] {
            #expect(!sentToDiscord.contains { $0.contains(fragment) }, "\(fragment) was shown")
        }
    }
}
