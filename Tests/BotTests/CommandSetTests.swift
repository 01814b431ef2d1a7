import Bot
import Foundation
import Testing
import TestSupport

/// `commands.json` (the bulk-overwrite payload) and the router agree, and Discord's limits hold.
@Suite struct CommandSetTests {
    static func commands() throws -> [[String: Any]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("commands.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
    }

    /// Every command path: ["clan", "info"], ["stats"], …
    static func paths() throws -> [[String]] {
        try commands().flatMap { command -> [[String]] in
            let name = command["name"] as? String ?? ""
            let subcommands = (command["options"] as? [[String: Any]] ?? []).filter { $0["type"] as? Int == 1 }
            return subcommands.isEmpty ? [[name]] : subcommands.map { [name, $0["name"] as? String ?? ""] }
        }
    }

    @Test func everyCommandIsWithinDiscordsLimitsAndGuildOnly() throws {
        for command in try Self.commands() {
            let name = command["name"] as? String ?? ""
            #expect(command["contexts"] as? [Int] == [0], "\(name) should be guild-only")
            func check(_ option: [String: Any], _ where_: String) {
                let optionName = option["name"] as? String ?? ""
                #expect((1...32).contains(optionName.count) && optionName == optionName.lowercased(), "\(where_): bad name \(optionName)")
                #expect((1...100).contains((option["description"] as? String ?? "").count), "\(where_) \(optionName): description length")
                let children = option["options"] as? [[String: Any]] ?? []
                #expect(children.count <= 25)
                for child in children { check(child, where_ + " " + optionName) }
            }
            check(command, "/")
        }
    }

    @Test func theRouterKnowsEveryCommandPath() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        for path in try Self.paths() {
            let answer = try await bot.command(path.joined(separator: " "), as: .outsider)
            #expect(answer.callbackType != nil, "\(path) got no answer")
            #expect(!answer.allText.contains("Unknown subcommand") && !answer.allText.contains("does not know"), "\(path): \(answer.allText)")
        }
    }
}
