import Foundation
import Testing
@testable import Discord
import TestSupport

/// Malformed INTERACTION_CREATE frames never crash or hang: each mutation of a real frame decodes to an
/// interaction (whose every accessor then works) or is refused with a `GatewayCodecError`.
@Suite struct InteractionMutationTests {
    static let modalSubmit = """
        {"op":0,"s":9,"t":"INTERACTION_CREATE","d":{"application_id":"1","channel_id":"5","guild_id":"2","id":"11",
         "member":{"user":{"id":"6","username":"officer"},"roles":[],"permissions":"32"},
         "data":{"custom_id":"contest.edit|1|2","components":[{"type":1,"components":[{"type":4,"custom_id":"prize","value":"A party hat"}]}]},
         "token":"tok-modal","type":5,"version":1}}
        """

    static let frames: [[UInt8]] = [
        InteractionFixtures.slashCommand(), InteractionFixtures.autocomplete, InteractionFixtures.buttonPress, modalSubmit,
    ].map { Array($0.utf8) }

    /// Everything a handler reads from an interaction.
    static func exercise(_ interaction: Interaction) {
        _ = (interaction.invoker, interaction.component, interaction.member?.permissions?.allows(.manageGuild))
        if case .modalSubmit(let modal)? = interaction.data { _ = modal.value(of: "prize") }
        guard let command = interaction.command else { return }
        _ = (command.path, command.arguments, command.focused)
        for option in command.arguments {
            _ = (command.string(option.name), command.integer(option.name), command.number(option.name),
                 command.boolean(option.name), command.user(option.name), command.role(option.name),
                 command.channel(option.name), command.attachment(option.name))
        }
    }

    /// Decodes as the gateway driver and the interaction dispatcher do.
    static func decode(_ bytes: [UInt8]) throws(GatewayCodecError) -> Interaction? {
        guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(Data(bytes)) else { return nil }
        return try dispatch.decodeData(Interaction.self)
    }

    @Test func theFixturesDecode() throws {
        for frame in Self.frames {
            let interaction = try #require(try Self.decode(frame))
            Self.exercise(interaction)
        }
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func mutatedFramesGiveAnInteractionOrATypedError(seed: UInt64) async {
        let (decoded, refused) = await offThePool { () -> (Int, Int) in
            var mutator = Mutator(seed: seed)
            var decoded = 0, refused = 0
            for index in 0..<500 {
                let bytes = mutator.mutate(Self.frames[index % Self.frames.count], times: 3)
                do {
                    if let interaction = try Self.decode(bytes) {
                        decoded += 1
                        Self.exercise(interaction)
                    }
                } catch {
                    refused += 1  // a GatewayCodecError: the type says so
                }
            }
            return (decoded, refused)
        }
        #expect(decoded > 0)
        #expect(refused > 0)
    }

    @Test(arguments: ["99999999999999999999999", "1e400", "-9223372036854775809", "9.2e18", "-1e300", "\"1e400\"", "\"-0\""])
    func hugeOptionNumbersAreRefusedOrKept(number: String) {
        for type in [3, 4, 5, 6, 10] {
            let frame = """
                {"op":0,"s":1,"t":"INTERACTION_CREATE","d":{"application_id":"1","guild_id":"2","id":"3","token":"t","type":2,
                 "data":{"id":"4","name":"leaderboard","options":[{"name":"top","type":\(type),"value":\(number)}]}}}
                """
            do {
                if let interaction = try Self.decode(Array(frame.utf8)) { Self.exercise(interaction) }
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
