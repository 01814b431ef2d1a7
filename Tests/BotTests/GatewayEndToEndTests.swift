import Bot
import Discord
import Foundation
import Testing
import TestSupport

/// The bot behind the real gateway driver: INTERACTION_CREATE over a TLS WebSocket from the fake Discord,
/// the callback and the edit of @original on its fake REST API.
@Suite struct GatewayEndToEndTests {
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
        // The two last answers (the edit of the slash command's reply, the autocomplete's callback) arrive here.
        let answers = AsyncMailbox<String>()
        discord.router.route("POST", "/api/v10/interactions/19001/tok-9001/callback") { _ in .status(204) }
        discord.router.route("POST", "/api/v10/interactions/19002/tok-9002/callback") { _ in
            answers.send("autocomplete")
            return .status(204)
        }
        discord.router.route("PATCH", "/api/v10/webhooks/\(BotHarness.application)/tok-9001/messages/@original") { _ in
            answers.send("edit")
            return .json(#"{"id":"5"}"#)
        }

        let rest = DiscordREST(token: "t", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil))
        let dispatcher = InteractionDispatcher(rest: rest, handler: bot.router)
        var options = DiscordGateway.Options(token: "t", shards: nil)
        options.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        let gateway = DiscordGateway(options: options, rest: rest, connector: WebSocketGatewayConnector(caFile: discord.caFilePath),
                                     onStatus: { _ in }, onDispatch: { _, dispatch in dispatcher.dispatch(dispatch) })
        let running = Task { try? await gateway.run() }
        var answered: Set<String> = []
        while answered.count < 2 { answered.insert(try await answers.next("the edit and the autocomplete's answer") { $0 }) }
        await gateway.stop()
        _ = await running.value

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
