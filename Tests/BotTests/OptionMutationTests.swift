import Bot
import Discord
import Domain
import Foundation
import Testing
import TestSupport

/// Malformed options never crash the bot or leave a command unanswered: seeded slash commands, autocomplete
/// requests and button presses with truncated, reordered, wrongly typed, huge or strange values go through
/// the real router, and each gets an answer (the command's own or a refusal) in bounded time.
@Suite struct OptionMutationTests {
    /// A declared option of a command path, from commands.json.
    struct Declared {
        var name: String
        var type: Int
    }

    static func declaredPaths() throws -> [(path: [String], options: [Declared])] {
        try CommandSetTests.commands().flatMap { command -> [(path: [String], options: [Declared])] in
            let name = command["name"] as? String ?? ""
            let options = command["options"] as? [[String: Any]] ?? []
            func declared(_ list: [[String: Any]]) -> [Declared] {
                list.map { Declared(name: $0["name"] as? String ?? "", type: $0["type"] as? Int ?? 3) }
            }
            let subcommands = options.filter { $0["type"] as? Int == 1 }
            if subcommands.isEmpty { return [([name], declared(options))] }
            return subcommands.map { ([name, $0["name"] as? String ?? ""], declared($0["options"] as? [[String: Any]] ?? [])) }
        }
    }

    /// Plausible values by option name, so mutations reach past the first check.
    static let plausible: [String: [any Sendable]] = [
        "clan": ["Iron Legion", "#1", "iron-legion"], "rsn": ["Mem Ber", "Lead Guy", "Zezima"], "new_name": ["Mem Ber Two"],
        "role": ["member", "officer", "leader"], "timeframe": ["7d", "30d", "mtd", "custom"], "start": ["2026-11-01", "2026-11-01T18:00:00Z"],
        "end": ["2026-11-30", "2026-12-01T18:00:00Z"], "metric": ["xp_gained", "levels_gained", "skill_xp", "boss_kc", "clues"],
        "skill": ["Attack", "Slayer"], "boss": ["Zulrah"], "tier": ["all", "hard"], "cron": ["0 18 * * *", "*/5 * * * *"],
        "contest": ["1", "#1", "Summer"], "type": ["skill_xp", "boss_kc", "total_xp"], "targets": ["Slayer", "Zulrah,Vorkath"],
        "url": ["https://example.com/hook", "https://discord.com/api/webhooks/1/abc"], "provider": ["discord", "slack", "custom"],
        "events": ["snapshot.finished", "all"], "board": ["regular", "ironman"], "randomness": ["drand", "none"],
        "timezone": ["Europe/London", "UTC"], "status": ["draft", "active"], "job": ["1"],
    ]

    static let strange: [any Sendable] = [
        "", " ", "\u{0}", "\u{FFFD}\u{FFFD}", "\u{202E}gnp.exe", String(repeating: "🏰", count: 600), String(repeating: "x", count: 7_000),
        "-1", "0", "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e400", "NaN", "1.5",
        "2026-02-30", "2026-13-01", "9999-12-31", "0000-01-01", "2026-11-01..2026-10-01", "9999-12-31T23:59:59Z",
        "* * * * * *", "60 25 32 13 8", "*/0 * * * *", "1-0 * * * *", "#", "#99999999999999999999", "<@everyone>", "@here",
        "https://10.0.0.1/", "http://x", "https://", "a,b,,c", "all,all", "|", "c-1-1",
        Int64.max, Int64.min, -1, 0, 1, 26, 10_000, true, false, 1.5, 1e300, -0.0,
    ]

    /// A value for an option: plausible for its name, strange, or of the wrong type.
    static func value(for option: Declared, _ mutator: inout Mutator) -> any Sendable {
        let choices = plausible[option.name] ?? []
        if !choices.isEmpty, mutator.pick(3) == 0 { return choices[mutator.pick(choices.count)] }
        return strange[mutator.pick(strange.count)]
    }

    /// Discord's option type for a Swift value (sometimes deliberately not the declared one).
    static func type(of value: Any, declared: Int, _ mutator: inout Mutator) -> Int {
        if mutator.pick(4) == 0 { return [3, 4, 5, 6, 10][mutator.pick(5)] }
        switch value {
        case is Bool: return 5
        case is Int, is Int64: return declared == 10 ? 10 : 4
        case is Double: return 10
        default: return declared
        }
    }

    static func options(for declared: [Declared], _ mutator: inout Mutator) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for option in declared where mutator.pick(3) != 0 {
            let value = value(for: option, &mutator)
            result.append(["name": option.name, "type": type(of: value, declared: option.type, &mutator), "value": value])
        }
        if mutator.pick(5) == 0 { result.append(["name": "unknown", "type": 3, "value": "x"]) }
        if result.count > 1, mutator.pick(3) == 0 { result.shuffle(using: &mutator.random) }
        if !result.isEmpty, mutator.pick(6) == 0 { result.append(result[mutator.pick(result.count)]) }  // a repeated option
        return result
    }

    static let customIDs = [
        "snap.run|1", "jobs.refresh|1", "lb.page|1|xp_gained||7d|1", "lb.page|1|skill_xp|Slayer|c1761955200-1764547200|0",
        "contest.draw|1|1",
    ]

    @Test(arguments: [UInt64(21), 22])
    func mutatedCommandsAndPressesAreAnswered(seed: UInt64) async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let paths = try Self.declaredPaths()
        var mutator = Mutator(seed: seed)
        var answered = 0
        for index in 0..<100 {
            let kind = mutator.pick(10)
            let user = [TestUser.leader, .officer, .member, .outsider, .serverManager][mutator.pick(5)]
            let id = Int(seed) * 1_000 + index + 100_000
            let json: Data
            let label: String
            if kind == 0 {
                let original = Self.customIDs[mutator.pick(Self.customIDs.count)]
                let customID = String(decoding: mutator.mutate(Array(original.utf8), times: 2), as: UTF8.self)
                label = "press \(customID)"
                json = try bot.interactionJSON(type: 3, data: ["custom_id": customID, "component_type": 2], user: user, id: id,
                                               extra: ["message": ["id": "7000", "channel_id": "300", "content": ""]])
            } else {
                let (path, declared) = paths[mutator.pick(paths.count)]
                var options = Self.options(for: declared, &mutator)
                let focused = kind == 1 && !options.isEmpty
                if focused { options[mutator.pick(options.count)]["focused"] = true }
                var data: [String: Any] = ["id": "1", "name": path[0], "type": 1, "options": options]
                if path.count > 1 { data["options"] = [["name": path[1], "type": 1, "options": options]] }
                label = "\(focused ? "autocomplete" : "command") /\(path.joined(separator: " ")) \(options)"
                json = try bot.interactionJSON(type: focused ? 4 : 2, data: data, user: user, id: id)
            }
            // An option whose value Discord would never send for its type is refused by the decoder (a typed
            // error; the gateway logs and skips it). Everything that decodes must be answered.
            guard let interaction = try? JSONDecoder().decode(Interaction.self, from: json) else { continue }
            let answer = try await within(seconds: 20) {
                await bot.router.handle(interaction, responder: InteractionResponder(interaction: interaction, rest: bot.rest))
                return bot.exchange(token: "tok-\(id)")
            }
            guard let exchange = answer else {
                Issue.record("no answer within 20 s: \(label)")
                continue
            }
            #expect(exchange.callback != nil, "case \(index) of seed \(seed) got no answer: \(label)")
            answered += 1
        }
        #expect(answered > 50)
    }

    /// Regression: a page button with a custom window far outside any calendar used to crash the bot when the
    /// window's end was turned into epoch milliseconds for the query.
    @Test func aPageButtonWithAnImpossibleWindowIsRefused() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        for window in ["c1-99999999999999999", "c-5-9223372036854775807", "c0-9223372036854775807", "c9223372036854775806-9223372036854775807"] {
            let exchange = try await bot.press("lb.page|1|xp_gained||\(window)|0")
            #expect(exchange.lastIsEphemeral, "\(window)")
            #expect(exchange.lastText.contains("button"), "\(window)")
        }
    }
}
