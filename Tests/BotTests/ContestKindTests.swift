@testable import Bot
import ClanbotCLI
import Cryptography
@testable import Domain
import Foundation
import Services
import Testing
import TestSupport

/// Ranked, team and points contests end to end through the fake Discord and the fake hiscores
/// (docs/draw-scheme.md §8). Every score is computed here from the values the fake hiscores serve, and every
/// tie-break from the spec's formula, independently of the code under test.
@Suite struct ContestKindTests {
    static let extra = ["Zezima", "Woox", "B0aty", "Lynx Titan"]
    static var everyone: [String] { BotHarness.core + extra }

    /// What one member has on the hiscores: a typical account with the values the contest measures set.
    struct Values {
        var slayer: Int64
        var zulrah = 10
        var elite = 5
        var vorkath = 50
    }

    static func serve(_ bot: BotHarness, _ values: [String: Values]) {
        for (index, name) in everyone.enumerated() {
            guard let value = values[name] else { continue }
            let player = HiscoresFixture.Player.typical(seed: UInt64(100 + index))
                .with(skill: "Slayer", xp: value.slayer).with(activity: "Zulrah", score: value.zulrah)
                .with(activity: "Clue Scrolls (elite)", score: value.elite).with(activity: "Vorkath", score: value.vorkath)
            bot.hiscores.set(name, on: .regular, player)
        }
    }

    static func overallXP(_ values: Values, index: Int) -> Int64 {
        HiscoresFixture.Player.typical(seed: UInt64(100 + index)).with(skill: "Slayer", xp: values.slayer).overallXP
    }

    /// The spec's final order (§8.4), computed here: seed = HMAC(S, tag ‖ u64be(id) ‖ chain ‖ u64be(R) ‖ SHA-256(file) ‖
    /// randomness); equal scores by HMAC(seed, "tie-break" 0 ‖ name), smallest first.
    static func expectedOrder(scores: [String: Int64], lock: DrawLockRecord, file: [UInt8], randomness: String) throws -> [String] {
        let secretHex = try #require(lock.secret)
        let secret = try #require([UInt8](hexString: secretHex))
        let round = UInt64(try #require(lock.activation.randomness.storedRound))
        var input = Array("clanbot-draw-v2".utf8) + [0]
        input += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(lock.activation.contestID) >> (56 - 8 * $0)) }
        input += try #require([UInt8](hexString: DrandQuicknet.chainHash))
        input += (0..<8).map { UInt8(truncatingIfNeeded: round >> (56 - 8 * $0)) }
        input += Digest.sha256(file)
        input += try #require([UInt8](hexString: randomness))
        let seed = Digest.hmacSHA256(key: secret, message: input)
        let key = { (name: String) in Digest.hmacSHA256(key: seed, message: Array("tie-break".utf8) + [0] + Array(name.utf8)) }
        return scores.filter { $0.value >= 1 }.sorted { a, b in
            a.value != b.value ? a.value > b.value : key(a.key).lexicographicallyPrecedes(key(b.key))
        }.map(\.key)
    }

    /// `score TAB name` lines, highest first, equal scores by name (§8.3), from scores computed here.
    static func expectedFile(_ scores: [String: Int64]) -> String {
        scores.filter { $0.value >= 1 }.sorted { $0.value != $1.value ? $0.value > $1.value : Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.value)\t\($0.key)\n" }.joined()
    }

    static func normal(_ name: String) -> String { name.lowercased() }

    /// Creates, rules and activates a contest through the commands; returns its id.
    static func start(_ bot: BotHarness, name: String, kind: String, winners: Int, rules: [[String: any Sendable]], teams: String? = nil) async throws -> Int64 {
        let created = try await bot.command("contest create", ["name": name, "start": "now", "end": (Date() + 3600).formatted(.iso8601),
                                                               "kind": kind, "winners": winners], as: .officer)
        #expect(created.lastText.contains("Draft **\(name)** created"), "\(created.lastText)")
        let contest = try #require(try await bot.environment.contests.list(clanID: 1).first { $0.name == name })
        #expect(contest.kind.rawValue == kind)
        for rule in rules {
            var options = rule
            options["contest"] = String(contest.id)
            let added = try await bot.command("contest rule", options, as: .officer)
            #expect(added.lastText.contains("Rule added"), "\(added.lastText)")
        }
        if let teams {
            let set = try await bot.command("contest teams", ["contest": String(contest.id), "teams": teams], as: .officer)
            #expect(set.lastText.contains("Teams of **\(name)** set"), "\(set.lastText)")
        }
        let activated = try await bot.command("contest activate", ["contest": String(contest.id)], as: .officer)
        #expect(activated.lastText.contains("is active"), "\(activated.lastText)")
        return contest.id
    }

    /// Ends at the contest's end and ranks after round R, through the commands; returns both exchanges.
    static func finish(_ bot: BotHarness, _ id: Int64) async throws -> (ended: Exchange, drawn: Exchange) {
        bot.contestClockOffset.withLock { $0 = 3700 }
        let ended = try await bot.command("contest end", ["contest": String(id)], as: .officer)
        bot.contestClockOffset.withLock { $0 = 7200 }
        let drawn = try await bot.command("contest draw", ["contest": String(id)], as: .leader)
        return (ended, drawn)
    }

    @Test func aRankedSkillOfTheWeekWithATieAtThePrizeBoundaryIsDecidedAlikeByTheBotVerifyAndPython() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: Self.extra)
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "555"), "events": "contest"], as: .officer)
        let start: [String: Values] = Dictionary(uniqueKeysWithValues: Self.everyone.enumerated().map { ($1, Values(slayer: 1_000_000 + Int64($0) * 13_337)) })
        Self.serve(bot, start)
        _ = try await bot.command("snapshot run", as: .leader)
        let id = try await Self.start(bot, name: "Slayer of the Week", kind: "ranked", winners: 2,
                                      rules: [["type": "skill_xp", "targets": "Slayer", "title": "Slayer xp"]])
        // Zezima leads; Woox and B0aty tie for the second (last) prize place; Lead Guy trails; the rest gain nothing.
        let gains: [String: Int64] = ["Zezima": 50_000, "Woox": 30_000, "B0aty": 30_000, "Lead Guy": 10_000]
        var end = start
        for (name, gain) in gains { end[name]?.slayer += gain }
        Self.serve(bot, end)
        _ = try await bot.command("snapshot run", as: .leader)
        let scores = Dictionary(uniqueKeysWithValues: Self.everyone.map { name in
            (Self.normal(name), (end[name]?.slayer ?? 0) - (start[name]?.slayer ?? 0))
        })

        let standings = try await bot.command("contest standings", ["contest": String(id)], as: .member)
        #expect(standings.lastText.contains("Zezima") && standings.lastText.contains("50,000 points"), "\(standings.lastText)")

        let (ended, drawn) = try await Self.finish(bot, id)
        #expect(ended.allText.contains("The ranking is locked"), "\(ended.allText)")
        #expect(ended.allText.contains("tied at the prize places"), "\(ended.allText)")
        let contests = bot.environment.contests
        let file = try await contests.entriesFile(contestID: id)
        #expect(String(decoding: file, as: UTF8.self) == Self.expectedFile(scores))

        let detail = try await contests.detail(contestID: id)
        let proof = try #require(detail.ranking)
        let lock = try #require(detail.lock)
        let order = try Self.expectedOrder(scores: scores, lock: lock, file: file, randomness: try #require(proof.beacon?.randomness))
        #expect(proof.ranking.map(\.name) == order)
        #expect(proof.winners.map(\.name) == Array(order.prefix(2)))
        #expect(proof.tieAtPrizeBoundary)
        #expect(drawn.allText.contains("The final ranking is done") && drawn.allText.contains("Ties at the prize places were decided"), "\(drawn.allText)")
        let second = detail.displayName(ranked: order[1])
        #expect(drawn.allText.contains("**2.** \(second) — 30,000 points (tie-break)"), "\(drawn.allText)")
        #expect(drawn.allText.contains("Proof of contest #\(id)"))
        // The announcements channel posts the final ranking with the tie-break.
        let posts = bot.channelPosts.map { Exchange.text((try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any]) ?? [:]) }
        #expect(posts.contains { $0.contains("Final ranking: Slayer of the Week") && $0.contains("Ties decided by the committed draw") }, "\(posts)")
        #expect(posts.contains { $0.contains("Ranking locked: Slayer of the Week") })
        #expect(try await contests.verify(contestID: id).passed)

        // clanbot verify on what the bot published.
        let directory = try bot.files.directory("verify")
        let proofPath = directory.appendingPathComponent("proof.json").path
        let rankingPath = directory.appendingPathComponent("ranking.txt").path
        try Data(try #require(detail.rankingJSON).utf8).write(to: URL(fileURLWithPath: proofPath))
        try Data(file).write(to: URL(fileURLWithPath: rankingPath))
        let output = Lines()
        let status = await CommandLineTool.main(arguments: ["verify", "--proof", proofPath, "--entries", rankingPath],
                                                environment: ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex], output: output)
        #expect(status == 0, "\(output.standardOutput)\n\(output.standardError)")
        #expect(output.standardOutput.contains("Winners: 1. \(order[0]) (50000), 2. \(order[1]) (30000)"), "\(output.standardOutput)")
        // The same from the lock record and round R's signature alone.
        let lockPath = directory.appendingPathComponent("lock.json").path
        try Data(lock.json.utf8).write(to: URL(fileURLWithPath: lockPath))
        let fromLock = Lines()
        let lockStatus = await CommandLineTool.main(arguments: ["verify", "--lock", lockPath, "--entries", rankingPath,
                                                                "--signature", try #require(proof.beacon?.signature)],
                                                    environment: ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex], output: fromLock)
        #expect(lockStatus == 0, "\(fromLock.standardOutput)\n\(fromLock.standardError)")
        #expect(fromLock.standardOutput.contains("Winners: 1. \(order[0]) (50000), 2. \(order[1]) (30000)"))
        // And the independent Python checker, given the gains measured here.
        let vector: [String: Any] = [
            "comment": "bot end to end", "rules_text": detail.contest.rulesText, "entries_file": String(decoding: file, as: UTF8.self),
            "members": Self.everyone.map { ["name": Self.normal($0), "gains": [scores[Self.normal($0)] ?? 0]] },
            "lock": try JSONSerialization.jsonObject(with: Data(lock.json.utf8)),
            "proof": try JSONSerialization.jsonObject(with: Data(try #require(detail.rankingJSON).utf8)),
        ]
        try await Self.expectPythonAgrees(vector, in: directory)
    }

    @Test func aTeamContestSumsItsMembersAndRefusesAMemberInTwoTeams() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: Self.extra)
        var start: [String: Values] = [:]
        for (index, name) in Self.everyone.enumerated() { start[name] = Values(slayer: 2_000_000, vorkath: 40 + index) }
        Self.serve(bot, start)
        _ = try await bot.command("snapshot run", as: .leader)
        let created = try await bot.command("contest create", ["name": "Clan wars", "start": "now", "end": (Date() + 3600).formatted(.iso8601), "kind": "teams"], as: .officer)
        #expect(created.lastText.contains("/contest teams"))
        let draft = try #require(try await bot.environment.contests.list(clanID: 1).first)
        let twice = try await bot.command("contest teams", ["contest": String(draft.id), "teams": "Red: Zezima, Woox; Blue: B0aty, woox"], as: .officer)
        #expect(twice.lastText.contains("already in team Red"), "\(twice.lastText)")
        let stranger = try await bot.command("contest teams", ["contest": String(draft.id), "teams": "Red: Zezima; Blue: Not A Member"], as: .officer)
        #expect(stranger.lastText.contains("not in the clan"), "\(stranger.lastText)")
        let memberTry = try await bot.command("contest teams", ["contest": String(draft.id), "teams": "Red: Zezima; Blue: Woox"], as: .member)
        #expect(memberTry.lastIsEphemeral)
        let tooEarly = try await bot.command("contest activate", ["contest": String(draft.id)], as: .officer)
        #expect(tooEarly.allText.lowercased().contains("add at least one rule"), "\(tooEarly.allText)")
        _ = try await bot.command("contest edit", ["contest": String(draft.id), "name": "Clan wars old"], as: .officer)

        // 2 points per Vorkath kill, 1 point per 100,000 total xp; Red = Zezima + Woox + Lead Guy, Blue = the rest.
        let id = try await Self.start(bot, name: "Team week", kind: "teams", winners: 1,
                                      rules: [["type": "boss_kc", "targets": "Vorkath", "points": 2, "title": "Vorkath"],
                                              ["type": "total_xp", "unit": 100_000, "title": "Total xp"]],
                                      teams: "Red: Zezima, Woox, Lead Guy; Blue: B0aty, Lynx Titan, Offi Sir, Mem Ber")
        var end = start
        end["Zezima"]?.vorkath += 10
        end["Woox"]?.slayer += 250_000
        end["Lead Guy"]?.vorkath += 3
        end["B0aty"]?.vorkath += 12
        end["Lynx Titan"]?.slayer += 199_999
        end["Offi Sir"]?.vorkath += 1
        Self.serve(bot, end)
        _ = try await bot.command("snapshot run", as: .leader)

        var member: [String: Int64] = [:]
        for (index, name) in Self.everyone.enumerated() {
            let kills = Int64((end[name]?.vorkath ?? 0) - (start[name]?.vorkath ?? 0))
            let xp = Self.overallXP(try #require(end[name]), index: index) - Self.overallXP(try #require(start[name]), index: index)
            member[name] = kills * 2 + xp / 100_000
        }
        let red = ["Zezima", "Woox", "Lead Guy"].reduce(0) { $0 + (member[$1] ?? 0) }
        let blue = ["B0aty", "Lynx Titan", "Offi Sir", "Mem Ber"].reduce(0) { $0 + (member[$1] ?? 0) }
        let standings = try await bot.command("contest standings", ["contest": String(id)], as: .member)
        #expect(standings.allText.contains("Red") && standings.allText.contains("Blue"), "\(standings.allText)")

        let (ended, drawn) = try await Self.finish(bot, id)
        #expect(ended.allText.contains("The ranking is locked"), "\(ended.allText)")
        let file = try await bot.environment.contests.entriesFile(contestID: id)
        #expect(String(decoding: file, as: UTF8.self) == Self.expectedFile(["red": red, "blue": blue]))
        let proof = try #require(try await bot.environment.contests.detail(contestID: id).ranking)
        let winner = red == blue ? proof.winners.first?.name : (red > blue ? "red" : "blue")
        #expect(proof.winners.map(\.name) == [try #require(winner)])
        #expect(drawn.allText.contains("🏆 **1.** \(winner == "red" ? "Red" : "Blue") — \(max(red, blue).groupedDigits) points"), "\(drawn.allText)")
        // Teams cannot change once active.
        let late = try await bot.command("contest teams", ["contest": String(id), "teams": "Red: Zezima; Blue: Woox"], as: .officer)
        #expect(late.allText.lowercased().contains("cannot set the teams of a contest that is drawn"), "\(late.allText)")
    }

    @Test func aPointsContestAcrossSeveralMetricsScoresAsComputedFromTheHiscores() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: Self.extra)
        var start: [String: Values] = [:]
        for (index, name) in Self.everyone.enumerated() {
            start[name] = Values(slayer: 3_000_000 + Int64(index) * 7_777, zulrah: 100 + index, elite: 20 + index)
        }
        Self.serve(bot, start)
        _ = try await bot.command("snapshot run", as: .leader)
        // 1 point per 10,000 Slayer xp, 3 per Zulrah kill, 10 per elite clue.
        let id = try await Self.start(bot, name: "Points week", kind: "ranked", winners: 3, rules: [
            ["type": "skill_xp", "targets": "Slayer", "unit": 10_000, "title": "Slayer"],
            ["type": "boss_kc", "targets": "Zulrah", "points": 3, "title": "Zulrah"],
            ["type": "clue_count", "targets": "elite", "points": 10, "title": "Elite clues"],
        ])
        var end = start
        let changes: [String: (Int64, Int, Int)] = [
            "Zezima": (123_456, 7, 1), "Woox": (19_999, 20, 0), "B0aty": (0, 0, 4), "Lynx Titan": (250_000, 2, 2), "Mem Ber": (9_999, 0, 0),
        ]
        for (name, change) in changes {
            end[name]?.slayer += change.0
            end[name]?.zulrah += change.1
            end[name]?.elite += change.2
        }
        // A rollback: Offi Sir's Zulrah count goes down; it counts as no gain, never as a loss.
        end["Offi Sir"]?.zulrah -= 5
        end["Offi Sir"]?.elite += 1
        Self.serve(bot, end)
        _ = try await bot.command("snapshot run", as: .leader)
        var scores: [String: Int64] = [:]
        for name in Self.everyone {
            let (s, e) = (try #require(start[name]), try #require(end[name]))
            scores[Self.normal(name)] = max(0, e.slayer - s.slayer) / 10_000 + Int64(max(0, e.zulrah - s.zulrah)) * 3 + Int64(max(0, e.elite - s.elite)) * 10
        }
        let standings = try await bot.command("contest standings", ["contest": String(id)], as: .member)
        #expect(standings.lastText.contains("\(try #require(scores["zezima"]).groupedDigits) points"), "\(standings.lastText)")

        let (ended, drawn) = try await Self.finish(bot, id)
        #expect(ended.allText.contains("The ranking is locked"))
        let file = try await bot.environment.contests.entriesFile(contestID: id)
        #expect(String(decoding: file, as: UTF8.self) == Self.expectedFile(scores))
        let detail = try await bot.environment.contests.detail(contestID: id)
        let proof = try #require(detail.ranking)
        #expect(Dictionary(uniqueKeysWithValues: proof.ranking.map { ($0.name, $0.score) }) == scores.filter { $0.value >= 1 })
        let top = scores.filter { $0.value >= 1 }.sorted { $0.value > $1.value }.prefix(3).map(\.value)
        #expect(proof.winners.map(\.score) == Array(top))
        #expect(drawn.allText.contains("The final ranking is done"))
        // Each member's points per rule are stored with the snapshots they came from.
        let zezima = (detail.entries?.entries ?? []).filter { $0.name == "Zezima" }.sorted { $0.rulePosition < $1.rulePosition }
        #expect(zezima.map(\.entryCount) == [12, 21, 10])
        #expect(try await bot.environment.contests.verify(contestID: id).passed)
    }

    /// What `clanbot verify` printed.
    final class Lines: Output, Sendable {
        let out = LockedValue<[String]>([])
        let err = LockedValue<[String]>([])
        func print(_ line: String) { out.withLock { $0.append(line) } }
        func error(_ line: String) { err.withLock { $0.append(line) } }
        var standardOutput: String { out.value.joined(separator: "\n") }
        var standardError: String { err.value.joined(separator: "\n") }
    }

    /// Runs Tests/DomainTests/Python/check_draw_vectors.py on one vector written in `directory`.
    static func expectPythonAgrees(_ vector: [String: Any], in directory: URL) async throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return }
        let path = directory.appendingPathComponent("vector.json")
        try JSONSerialization.data(withJSONObject: vector, options: [.sortedKeys]).write(to: path)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DomainTests/Python/check_draw_vectors.py").path
        let result = try await ChildProcess.run([python, script, path.path])
        #expect(result.status == 0, "\(result.text)\(result.errorText)")
        #expect(result.text.contains("OK \(path.path)"))
    }
}
