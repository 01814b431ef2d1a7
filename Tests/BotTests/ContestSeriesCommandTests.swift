import Bot
import ClanbotCLI
import Domain
import Foundation
import Services
import Testing
import TestSupport

/// `/contest teams auto:N` and `/contest recur` / `/contest series` through the fake Discord and hiscores.
/// The balanced teams are computed here from the values the fake hiscores serve, independently of `TeamBalancer`.
@Suite struct ContestSeriesCommandTests {
    static var everyone: [String] { ContestKindTests.everyone }

    @Test func autoFillsBalancedTeamsAsComputedFromTheHiscoresAndOfficersCanStillAdjustThem() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: ContestKindTests.extra)
        var before: [String: ContestKindTests.Values] = [:]
        for name in Self.everyone { before[name] = ContestKindTests.Values(slayer: 5_000_000) }
        ContestKindTests.serve(bot, before)
        _ = try await bot.command("snapshot run", as: .leader)
        // Gains over the lookback: Zezima and Woox tie (so the name decides), Mem Ber gains less than a unit.
        let gains: [String: Int64] = ["Zezima": 400_000, "Woox": 400_000, "B0aty": 300_000, "Lynx Titan": 120_000, "Lead Guy": 90_000,
                                      "Offi Sir": 20_000, "Mem Ber": 9_999]
        var after = before
        for (name, gain) in gains { after[name]?.slayer += gain }
        ContestKindTests.serve(bot, after)
        _ = try await bot.command("snapshot run", as: .leader)

        let created = try await bot.command("contest create", ["name": "Team week", "start": "now", "end": (Date() + 3600).formatted(.iso8601),
                                                               "kind": "teams"], as: .officer)
        #expect(created.lastText.contains("Draft **Team week** created"), "\(created.lastText)")
        let draft = try #require(try await bot.environment.contests.list(clanID: 1).first)
        let early = try await bot.command("contest teams", ["contest": String(draft.id), "auto": 2], as: .officer)
        #expect(early.lastText.contains("add the points rules first"), "\(early.lastText)")
        _ = try await bot.command("contest rule", ["contest": String(draft.id), "type": "skill_xp", "targets": "Slayer", "unit": 10_000,
                                                   "title": "Slayer"], as: .officer)
        let memberTry = try await bot.command("contest teams", ["contest": String(draft.id), "auto": 2], as: .member)
        #expect(memberTry.lastIsEphemeral)

        let preview = try await bot.command("contest teams", ["contest": String(draft.id), "auto": 3], as: .officer)
        // Independently: rating = ⌊gain / 10,000⌋, highest first, equal ratings by lower-cased name; snake over 3 teams.
        let ordered = Self.everyone.map { ($0, (gains[$0] ?? 0) / 10_000) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.lowercased() < $1.0.lowercased() }
        var expected: [[String]] = [[], [], []]
        for (pick, member) in ordered.enumerated() {
            let round = pick / 3, offset = pick % 3
            expected[round % 2 == 0 ? offset : 2 - offset].append(member.0)
        }
        #expect(expected == [["Woox", "Offi Sir", "Mem Ber"], ["Zezima", "Lead Guy"], ["B0aty", "Lynx Titan"]])
        let teams = try await bot.environment.contests.detail(contestID: draft.id).contest.teams
        #expect(teams.map(\.members) == expected)
        #expect(teams.map(\.name) == ["Team 1", "Team 2", "Team 3"])
        let text = "Team 1: Woox, Offi Sir, Mem Ber; Team 2: Zezima, Lead Guy; Team 3: B0aty, Lynx Titan"
        #expect(preview.allText.contains(text), "\(preview.allText)")
        #expect(preview.allText.contains("Team 1 · 3 members · 42 points"), "\(preview.allText)")  // 40 + 2 + 0

        // The preview is a draft: an officer moves Mem Ber to Team 3 by hand, then activates.
        let edited = "Team 1: Woox, Offi Sir; Team 2: Zezima, Lead Guy; Team 3: B0aty, Lynx Titan, Mem Ber"
        let set = try await bot.command("contest teams", ["contest": String(draft.id), "teams": edited], as: .officer)
        #expect(set.lastText.contains("Teams of **Team week** set"), "\(set.lastText)")
        let activated = try await bot.command("contest activate", ["contest": String(draft.id)], as: .officer)
        #expect(activated.lastText.contains("is active"), "\(activated.lastText)")
        let locked = try await bot.environment.contests.detail(contestID: draft.id).contest
        #expect(locked.teams.map(\.members) == [["Woox", "Offi Sir"], ["Zezima", "Lead Guy"], ["B0aty", "Lynx Titan", "Mem Ber"]])
        let late = try await bot.command("contest teams", ["contest": String(draft.id), "auto": 2], as: .officer)
        #expect(late.allText.lowercased().contains("cannot set the teams of a contest that is active"), "\(late.allText)")
    }

    @Test func recurMakesASeriesTheBotRunsAndOfficersPauseAndStop() async throws {
        let bot = try BotHarness()
        try await bot.seedClan(extraMembers: ContestKindTests.extra)
        _ = try await bot.command("announce set", ["channel": ChannelPick(id: "555"), "events": "contest"], as: .officer)
        let start = Date().addingTimeInterval(1800)
        let refused = try await bot.command("contest recur", ["name": "Skill of the Week", "kind": "ranked", "type": "skill_xp",
                                                              "start": start.formatted(.iso8601), "metrics": "Slayer, Fishng"], as: .officer)
        #expect(refused.lastText.contains("no skill called 'Fishng'"), "\(refused.lastText)")
        let memberTry = try await bot.command("contest recur", ["name": "Skill of the Week", "kind": "ranked", "type": "skill_xp",
                                                                "start": start.formatted(.iso8601), "metrics": "Slayer"], as: .member)
        #expect(memberTry.lastIsEphemeral)
        let made = try await bot.command("contest recur", ["name": "Skill of the Week", "kind": "ranked", "type": "skill_xp", "unit": 10_000,
                                                           "start": start.formatted(.iso8601), "metrics": "slayer, fishing", "winners": 3,
                                                           "prize": "5m"], as: .officer)
        #expect(made.lastText.contains("Series **Skill of the Week** created"), "\(made.lastText)")
        #expect(made.allText.contains("Slayer → Fishing"), "\(made.allText)")

        // The first edition is due within the hour before its start: the loop's step makes, activates and announces it.
        let outcomes = try await bot.environment.contests.openDueEditions()
        #expect(outcomes.count == 1)
        let contest = try #require(try await bot.environment.contests.list(clanID: 1).first)
        #expect(contest.name == "Skill of the Week #1: Slayer" && contest.status == .active && contest.kind == .ranked)
        #expect(try await bot.environment.contests.openDueEditions().isEmpty)
        await bot.announced()
        let posts = bot.channelPosts.map { Exchange.text((try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any]) ?? [:]) }
        #expect(posts.filter { $0.contains("Skill of the Week #1: Slayer") }.count == 1, "\(posts)")

        let listed = try await bot.command("contest series", as: .member)
        #expect(listed.lastText.contains("Skill of the Week") && listed.lastText.contains("1 edition")
                && listed.lastText.contains("next: edition 2 (Fishing)"), "\(listed.lastText)")
        let memberPause = try await bot.command("contest series", ["action": "pause", "series": "Skill of the Week"], as: .member)
        #expect(memberPause.lastIsEphemeral)
        let paused = try await bot.command("contest series", ["action": "pause", "series": "skill of the week"], as: .officer)
        #expect(paused.lastText.contains("is paused"), "\(paused.lastText)")
        let resumed = try await bot.command("contest series", ["action": "resume", "series": "Skill of the Week"], as: .officer)
        #expect(resumed.lastText.contains("running again"), "\(resumed.lastText)")
        let stopped = try await bot.command("contest series", ["action": "stop", "series": "Skill of the Week"], as: .officer)
        #expect(stopped.lastText.contains("stopped for good"), "\(stopped.lastText)")
        let again = try await bot.command("contest series", ["action": "resume", "series": "Skill of the Week"], as: .officer)
        #expect(again.lastText.contains("does not start again"), "\(again.lastText)")
        // The edition made before the stop stays.
        #expect(try await bot.environment.contests.detail(contestID: contest.id).contest.status == .active)
        let choices = try await bot.command("contest series", ["action": "pause", "series": "sk"], as: .officer, focused: "series")
        #expect(choices.choices.isEmpty)  // a stopped series is not offered
    }
}
