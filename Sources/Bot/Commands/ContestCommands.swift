import Discord
import Domain
import Foundation
import Services

/// `/contest …` and the **Draw** button. Waits for the contest service; until then it says so.
struct ContestCommands {
    let request: CommandRequest

    func run() async throws {
        throw BotFailure("Contests are not available in this version of clanbot yet.")
    }

    func pressDraw(_ id: CustomID) async throws {
        throw BotFailure("Contests are not available in this version of clanbot yet.")
    }

    func autocomplete(_ option: String, typed: String) async throws -> [CommandChoice] { [] }
}
