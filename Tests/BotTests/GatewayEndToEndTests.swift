import Bot
import Discord
import Foundation
import Testing
import TestSupport

/// The bot behind the real gateway driver: INTERACTION_CREATE over a TLS WebSocket from the fake Discord,
/// the callback and the edit of @original on its fake REST API.
@Suite struct GatewayEndToEndTests {
    static func wait(_ timeout: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return condition()
    }

    @Test func aSlashCommandAndAnAutocompleteArriveOverTheGatewayAndAreAnswered() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let info = String(decoding: try bot.interactionJSON(type: 2, data: ["id": "1", "name": "clan", "type": 1, "options": [["name": "info", "type": 1]]],
                                                            user: .member, id: 9001), as: UTF8.self)
        let complete = String(decoding: try bot.interactionJSON(
            type: 4, data: ["id": "1", "name": "leaderboard", "type": 1, "options": [["name": "boss", "type": 3, "value": "vork", "focused": true]]],
            user: .member, id: 9002), as: UTF8.self)
        let discord = try FakeDiscord { connection in
            try connection.sendHello(heartbeatInterval: 5000)
            _ = try connection.next(op: 2)
            try connection.sendReady(sessionID: "bot-e2e", sequence: 1)
            try connection.sendDispatch("INTERACTION_CREATE", sequence: 2, data: info)
            try connection.sendDispatch("INTERACTION_CREATE", sequence: 3, data: complete)
            _ = try connection.serve(for: .seconds(15))
        }
        discord.router.route("POST", "/api/v10/interactions/19001/tok-9001/callback") { _ in .status(204) }
        discord.router.route("POST", "/api/v10/interactions/19002/tok-9002/callback") { _ in .status(204) }
        discord.router.route("PATCH", "/api/v10/webhooks/\(BotHarness.application)/tok-9001/messages/@original") { _ in .json(#"{"id":"5"}"#) }

        let rest = DiscordREST(token: "t", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil))
        let dispatcher = InteractionDispatcher(rest: rest, handler: bot.router)
        var options = DiscordGateway.Options(token: "t", shards: nil)
        options.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        let gateway = DiscordGateway(options: options, rest: rest, connector: WebSocketGatewayConnector(caFile: discord.caFilePath),
                                     onStatus: { _ in }, onDispatch: { _, dispatch in dispatcher.dispatch(dispatch) })
        let running = Task { try? await gateway.run() }
        let answered = await Self.wait {
            discord.restRequests.contains { $0.method == "PATCH" } && discord.restRequests.contains { $0.path.contains("tok-9002") }
        }
        await gateway.stop()
        _ = await running.value
        #expect(answered)

        let requests = discord.restRequests
        let deferred = try #require(requests.first { $0.path.hasSuffix("/tok-9001/callback") })
        #expect((try JSONSerialization.jsonObject(with: deferred.body) as? [String: Any])?["type"] as? Int == 5)
        let edit = try #require(requests.first { $0.method == "PATCH" })
        let message = try #require(try JSONSerialization.jsonObject(with: edit.body) as? [String: Any])
        #expect(Exchange.text(message).contains("🏰 Iron Legion"))
        #expect(Exchange.customIDs(message).first?.hasPrefix("snap.run|") == true)

        let autocomplete = try #require(requests.first { $0.path.hasSuffix("/tok-9002/callback") })
        let body = try JSONSerialization.jsonObject(with: autocomplete.body) as? [String: Any]
        #expect(body?["type"] as? Int == 8)
        let choices = (body?["data"] as? [String: Any])?["choices"] as? [[String: Any]]
        #expect(choices?.first?["value"] as? String == "Vorkath")
    }
}
