import Foundation
import Testing
import TestSupport
@testable import Discord

/// `InteractionResponder.failPrivately` in each state, against a real HTTP server standing in for Discord's REST API.
@Suite struct FailPrivatelyTests {
    static let application = "1094880612145422336"

    struct World {
        let server: HTTPTestServer
        let responder: InteractionResponder

        /// "METHOD /path" of every request, with the API prefix dropped.
        var calls: [String] { server.requests.map { "\($0.method) \($0.path.replacingOccurrences(of: "/api/v10", with: ""))" } }
        func json(_ index: Int) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: server.requests[index].body) as? [String: Any]) ?? [:]
        }
    }

    /// A responder for a slash command (interaction 99, token "tok") whose REST calls go to a local server.
    func world(deleteStatus: Int = 204) throws -> World {
        let server = try HTTPTestServer { request in
            if request.path.hasSuffix("/callback") { return .status(204) }
            if request.method == "DELETE" { return deleteStatus == 204 ? .status(204) : .json(#"{"code":10008,"message":"Unknown Message"}"#, status: deleteStatus) }
            return .json(#"{"id":"7000","channel_id":"300"}"#)
        }
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand(interactionID: "99", token: "tok").utf8)) else {
            throw GatewayCodecError.malformedFrame("fixture")
        }
        let interaction = try dispatch.decodeData(Interaction.self)
        let rest = DiscordREST(token: "bot", apiBase: server.baseURL + "/api/v10", transport: try HTTPClientTransport(caFile: nil))
        return World(server: server, responder: InteractionResponder(interaction: interaction, rest: rest))
    }

    static let callback = "POST /interactions/99/tok/callback"
    static let original = "/webhooks/\(application)/tok/messages/@original"
    static let followUp = "POST /webhooks/\(application)/tok"

    @Test func beforeAnyAnswerItIsAnEphemeralReply() async throws {
        let world = try world()
        defer { world.server.stop() }
        try await world.responder.failPrivately("Nope.")
        #expect(world.calls == [Self.callback])
        #expect(world.json(0)["type"] as? Int == 4)
        let data = world.json(0)["data"] as? [String: Any]
        #expect(data?["content"] as? String == "Nope.")
        #expect(data?["flags"] as? Int == 64)
        #expect(await world.responder.stage == .replied)
    }

    @Test func afterAPublicDeferralTheThinkingMessageIsDeletedAndTheErrorFollowsPrivately() async throws {
        let world = try world()
        defer { world.server.stop() }
        try await world.responder.deferReply()
        try await world.responder.failPrivately("Nobody Here is not on the hiscores.")
        #expect(world.calls == [Self.callback, "DELETE " + Self.original, Self.followUp])
        #expect(world.json(0)["type"] as? Int == 5)
        #expect(world.json(0)["data"] == nil)
        #expect(world.server.requests[1].body.isEmpty)
        #expect(world.json(2)["content"] as? String == "Nobody Here is not on the hiscores.")
        #expect(world.json(2)["flags"] as? Int == 64)
        #expect(await world.responder.stage == .replied)
    }

    @Test func afterAPrivateDeferralTheThinkingMessageBecomesTheError() async throws {
        let world = try world()
        defer { world.server.stop() }
        try await world.responder.deferReply(ephemeral: true)
        try await world.responder.failPrivately("Nope.")
        #expect(world.calls == [Self.callback, "PATCH " + Self.original])
        #expect((world.json(0)["data"] as? [String: Any])?["flags"] as? Int == 64)
        #expect(world.json(1)["content"] as? String == "Nope.")
    }

    @Test func afterAnAnswerOrADeferredButtonItIsAnEphemeralFollowUpAndTheMessageStays() async throws {
        let replied = try world()
        defer { replied.server.stop() }
        try await replied.responder.reply("Here is the panel.")
        try await replied.responder.failPrivately("Then it broke.")
        #expect(replied.calls == [Self.callback, Self.followUp])
        #expect(replied.json(1)["content"] as? String == "Then it broke.")
        #expect(replied.json(1)["flags"] as? Int == 64)

        // Type 6: the original is the message the button is on; it must not be deleted.
        let button = try world()
        defer { button.server.stop() }
        try await button.responder.deferUpdate()
        try await button.responder.failPrivately("Not yours to press.")
        #expect(button.calls == [Self.callback, Self.followUp])
        #expect(button.json(0)["type"] as? Int == 6)
        #expect(button.json(1)["flags"] as? Int == 64)
        #expect(await button.responder.stage == .replied)
    }

    @Test func whenTheThinkingMessageCannotBeDeletedItIsNeutralisedAndTheErrorStillGoesPrivately() async throws {
        let world = try world(deleteStatus: 404)
        defer { world.server.stop() }
        try await world.responder.deferReply()
        await #expect(throws: DiscordRESTError.self) { try await world.responder.failPrivately("Nope.") }
        #expect(world.calls == [Self.callback, "DELETE " + Self.original, "PATCH " + Self.original, Self.followUp])
        #expect(world.json(2)["content"] as? String == InteractionResponder.failedPubliclyNote)
        #expect(world.json(3)["content"] as? String == "Nope.")
        #expect(world.json(3)["flags"] as? Int == 64)
    }
}
