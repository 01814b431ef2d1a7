import Foundation
import Testing
import TestSupport
@testable import Discord

@Suite struct InteractionDecodingTests {
    func interaction(_ frame: String) throws -> (GatewayDispatch, Interaction) {
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(frame.utf8)) else {
            throw GatewayCodecError.malformedFrame("not a dispatch")
        }
        return (dispatch, try dispatch.decodeData(Interaction.self))
    }

    @Test func decodesASlashCommandWithAGroupASubcommandAndEveryOptionType() throws {
        let (dispatch, interaction) = try interaction(InteractionFixtures.slashCommand(sequence: 42))
        #expect(dispatch.name == "INTERACTION_CREATE")
        #expect(dispatch.sequence == 42)
        #expect(interaction.type == .applicationCommand)
        #expect(interaction.id == 1_181_390_740_425_834_567)
        #expect(interaction.applicationID == 1_094_880_612_145_422_336)
        #expect(interaction.guildID == 1_094_880_690_000_000_000)
        #expect(interaction.channelID == 1_094_880_690_000_000_001)
        #expect(interaction.token.hasPrefix("aW50"))
        #expect(interaction.invoker?.username == "leader")
        #expect(interaction.member?.nick == "Clan Leader")
        #expect(interaction.member?.permissions?.allows(.manageGuild) == true)
        #expect(interaction.member?.roles == [1_094_880_690_000_000_002])
        #expect(interaction.appPermissions?.contains(.sendMessages) == true)

        let command = try #require(interaction.command)
        #expect(command.path == ["contest", "admin", "draw"])
        #expect(command.string("name") == "Summer XP race")
        #expect(command.integer("winners") == 3)
        #expect(command.number("weight") == 1.5)
        #expect(command.number("winners") == 3)
        #expect(command.boolean("announce") == true)
        #expect(command.user("host")?.displayName == "Zezima")
        #expect(command.channel("channel")?.name == "clan-chat")
        #expect(command.role("role")?.name == "Raiders")
        #expect(command.snowflake("who") == 80_351_110_224_678_912)
        #expect(command.attachment("proof")?.filename == "proof.png")
        #expect(command.resolved?.members[80_351_110_224_678_912]?.permissions != nil)
        #expect(Set(command.arguments.map(\.type)) == Set(CommandOptionType.allCases).subtracting([.subcommand, .subcommandGroup]))
        #expect(command.focused == nil)
    }

    @Test func decodesAutocompleteWithTheFocusedOptionAsTypedText() throws {
        let (_, interaction) = try interaction(InteractionFixtures.autocomplete)
        #expect(interaction.type == .autocomplete)
        let command = try #require(interaction.command)
        #expect(command.focused?.name == "skill")
        #expect(command.focused?.value == .string("att"))
        #expect(command.path == ["leaderboard"])
        #expect(command.integer("top") == 1)  // an unfocused option sent as text still reads as its type
    }

    @Test func decodesAButtonPressInADirectMessage() throws {
        let (_, interaction) = try interaction(InteractionFixtures.buttonPress)
        #expect(interaction.type == .messageComponent)
        #expect(interaction.component?.customID == "leaderboard:page:2")
        #expect(interaction.component?.componentType == 2)
        #expect(interaction.guildID == nil)
        #expect(interaction.invoker?.username == "dm-user")
        #expect(interaction.message?.id == 1_181_390_740_425_830_000)
    }

    @Test func unknownInteractionTypesAndBadOptionsFailCleanly() throws {
        let unknown = #"{"op":0,"s":1,"t":"INTERACTION_CREATE","d":{"id":"1","application_id":"2","type":99,"token":"t","version":1}}"#
        #expect(try interaction(unknown).1.type == .unknown(99))
        let badOption = #"{"op":0,"s":1,"t":"INTERACTION_CREATE","d":{"id":"1","application_id":"2","type":2,"token":"t","data":{"id":"3","name":"x","options":[{"name":"n","type":4,"value":"many"}]}}}"#
        let lenient = try #require(try interaction(badOption).1.command)
        #expect(lenient.integer("n") == nil)
        #expect(lenient.string("n") == "many")
        let wrongJSONType = #"{"op":0,"s":1,"t":"INTERACTION_CREATE","d":{"id":"1","application_id":"2","type":2,"token":"t","data":{"id":"3","name":"x","options":[{"name":"n","type":5,"value":[1]}]}}}"#
        #expect(throws: GatewayCodecError.self) { try interaction(wrongJSONType) }
        let badID = #"{"op":0,"s":1,"t":"INTERACTION_CREATE","d":{"id":"abc","application_id":"2","type":2,"token":"t"}}"#
        #expect(throws: GatewayCodecError.self) { try interaction(badID) }
    }
}

@Suite struct InteractionResponseTests {
    func json(_ value: some Encodable) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
    }

    @Test func anEphemeralReplyIsTypeFourWithFlag64() throws {
        let object = try json(InteractionResponse.message("hello", ephemeral: true))
        #expect(object["type"] as? Int == 4)
        let data = object["data"] as? [String: Any]
        #expect(data?["content"] as? String == "hello")
        #expect(data?["flags"] as? Int == 64)
    }

    @Test func deferredUpdateAndAutocompleteHaveTheirTypes() throws {
        #expect(try json(InteractionResponse.deferred())["type"] as? Int == 5)
        #expect(try json(InteractionResponse.deferred())["data"] == nil)
        #expect((try json(InteractionResponse.deferred(ephemeral: true))["data"] as? [String: Any])?["flags"] as? Int == 64)
        #expect(try json(InteractionResponse.deferredUpdate)["type"] as? Int == 6)
        #expect(try json(InteractionResponse.updateMessage(MessagePayload(content: "x")))["type"] as? Int == 7)
        let choices = (0..<40).map { CommandChoice("Skill \($0)", "skill-\($0)") }
        let autocomplete = try json(InteractionResponse.autocomplete(choices))
        #expect(autocomplete["type"] as? Int == 8)
        #expect(((autocomplete["data"] as? [String: Any])?["choices"] as? [Any])?.count == 25)
        let integerChoice = try json(CommandChoice(name: String(repeating: "n", count: 300), value: .integer(5)))
        #expect((integerChoice["name"] as? String)?.count == 100)
        #expect(integerChoice["value"] as? Int == 5)
    }

    @Test func buttonsAndRowsEncodeAsComponents() throws {
        let row = ActionRow([
            try #require(Button("Next", customID: "page:2", style: .primary)),
            Button("Hiscores", url: "https://secure.runescape.com"),
        ])
        let object = try json(MessagePayload(content: "x", components: [row]))
        let rows = object["components"] as? [[String: Any]]
        #expect(rows?.first?["type"] as? Int == 1)
        let buttons = rows?.first?["components"] as? [[String: Any]]
        #expect(buttons?.first?["type"] as? Int == 2)
        #expect(buttons?.first?["custom_id"] as? String == "page:2")
        #expect(buttons?.first?["style"] as? Int == 1)
        #expect(buttons?.last?["style"] as? Int == 5)
        #expect(buttons?.last?["url"] as? String == "https://secure.runescape.com")
        #expect(Button("x", customID: String(repeating: "c", count: 101)) == nil)
        #expect(Button("x", customID: "") == nil)
        #expect(ActionRow((0..<7).compactMap { Button("\($0)", customID: "b\($0)") }).buttons.count == 5)
    }

    @Test func messageContentIsCutToTwoThousandCharacters() {
        let payload = MessagePayload(content: String(repeating: "é", count: 2500))
        #expect(TextLimit.length(payload.content ?? "") == 2000)
        #expect(payload.content?.hasSuffix("…") == true)
    }
}
