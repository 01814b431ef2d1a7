import Foundation
import Testing
import TestSupport
@testable import Discord

@Suite struct InteractionResponderTests {
    func makeResponder(_ transport: RecordingDiscordTransport) throws -> InteractionResponder {
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand(interactionID: "99", token: "tok").utf8)) else {
            throw GatewayCodecError.malformedFrame("fixture")
        }
        let interaction = try dispatch.decodeData(Interaction.self)
        let clock = FakeClock()
        return InteractionResponder(interaction: interaction, rest: DiscordREST(token: "bot", apiBase: "http://127.0.0.1:1/api/v10", transport: transport, now: clock.now, sleep: clock.sleep))
    }

    @Test func replyThenReplyAgainIsACallbackThenAFollowUp() async throws {
        let transport = RecordingDiscordTransport([response(204, ""), response(200, #"{"id":"5"}"#)])
        let responder = try makeResponder(transport)
        try await responder.reply("first", ephemeral: true)
        try await responder.reply("second")
        let requests = transport.requests
        #expect(requests.map(\.method) == ["POST", "POST"])
        #expect(requests[0].route.hasSuffix("/interactions/99/tok/callback"))
        #expect(requests[1].route.hasSuffix("/webhooks/1094880612145422336/tok"))
        #expect(await responder.stage == .replied)
    }

    @Test func aDeferredReplyIsCompletedByEditingTheOriginal() async throws {
        let transport = RecordingDiscordTransport([response(204, ""), response(200, #"{"id":"6"}"#)])
        let responder = try makeResponder(transport)
        try await responder.deferReply(ephemeral: true)
        try await responder.deferReply()  // a second deferral is a no-op
        try await responder.reply(MessagePayload(embeds: [EmbedBuilder(title: "Done").build()], ephemeral: true))
        let requests = transport.requests
        #expect(requests.count == 2)
        let deferred = try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any]
        #expect(deferred?["type"] as? Int == 5)
        #expect(requests[1].method == "PATCH")
        let edit = try JSONSerialization.jsonObject(with: requests[1].body) as? [String: Any]
        #expect(edit?["flags"] == nil)  // the deferral made it ephemeral; an edit does not resend the flag
        #expect(requests[1].route.hasSuffix("/webhooks/1094880612145422336/tok/messages/@original"))
    }

    @Test func aFailedFirstAnswerCanBeRetried() async throws {
        let transport = RecordingDiscordTransport([response(400, #"{"code":50035,"message":"Invalid Form Body"}"#), response(204, "")])
        let responder = try makeResponder(transport)
        await #expect(throws: DiscordRESTError.self) { try await responder.reply("bad") }
        #expect(await responder.stage == .pending)
        try await responder.reply("good")
        #expect(await responder.stage == .replied)
    }

    struct SlowHandler: InteractionHandler {
        func handle(_ interaction: Interaction, responder: InteractionResponder) async {
            try? await Task.sleep(for: .milliseconds(300))
            try? await responder.reply("late but there")
        }
    }

    @Test func drainWaitsForRunningHandlers() async throws {
        let transport = RecordingDiscordTransport([response(204, "")])
        let clock = FakeClock()
        let rest = DiscordREST(token: "bot", apiBase: "http://127.0.0.1:1/api/v10", transport: transport, now: clock.now, sleep: clock.sleep)
        let dispatcher = InteractionDispatcher(rest: rest, handler: SlowHandler())
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand().utf8)) else { return }
        #expect(dispatcher.dispatch(dispatch))
        // Asked for at once, before the handler's task has even started: the drain still counts it.
        #expect(await dispatcher.drain(timeout: .seconds(10)) == 0)
        #expect(transport.requests.count == 1)
        let other = GatewayDispatch(sequence: 3, name: "GUILD_CREATE", frame: Data())
        #expect(!dispatcher.dispatch(other))
    }

    struct StuckHandler: InteractionHandler {
        func handle(_ interaction: Interaction, responder: InteractionResponder) async {
            try? await Task.sleep(for: .seconds(30))
        }
    }

    @Test func drainGivesUpAtItsDeadlineAndSaysHowManyWereLeft() async throws {
        let rest = DiscordREST(token: "bot", apiBase: "http://127.0.0.1:1/api/v10", transport: RecordingDiscordTransport([]))
        let dispatcher = InteractionDispatcher(rest: rest, handler: StuckHandler())
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(InteractionFixtures.slashCommand().utf8)) else { return }
        #expect(dispatcher.dispatch(dispatch))
        #expect(dispatcher.dispatch(dispatch))
        #expect(await dispatcher.drain(timeout: .milliseconds(50)) == 2)
        #expect(await InteractionDispatcher(rest: rest, handler: StuckHandler()).drain(timeout: .seconds(30)) == 0)
    }

    @Test func theStandInHandlerAnswersPolitelyAndPrivately() async throws {
        let transport = RecordingDiscordTransport([response(204, "")])
        let responder = try makeResponder(transport)
        await NotAvailableYetHandler().handle(responder.interaction, responder: responder)
        let body = try JSONSerialization.jsonObject(with: transport.requests.first?.body ?? Data()) as? [String: Any]
        let data = body?["data"] as? [String: Any]
        #expect(body?["type"] as? Int == 4)
        #expect(data?["flags"] as? Int == 64)
        #expect((data?["content"] as? String)?.contains("not available yet") == true)
    }
}
