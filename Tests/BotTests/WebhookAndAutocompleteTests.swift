import Bot
import Discord
import Domain
import Foundation
import Services
import Testing
import TestSupport

@Suite struct WebhookCommandTests {
    @Test func addListTestAndRemoveWithAnEndpointAnswering500Then200() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let router = HTTPTestRouter()
        router.route("POST", "/hooks/secret-token", script: [.status(500), .status(200)])
        let endpoint = try HTTPTestServer(router: router)
        defer { endpoint.stop() }
        let url = endpoint.baseURL + "/hooks/secret-token"

        let refused = try await bot.command("webhook add", ["url": url, "provider": "discord"], as: .member)
        #expect(refused.lastText.contains("manage webhooks"))

        let added = try await bot.command("webhook add", ["url": url, "provider": "custom", "events": "snapshot.finished,contest.drawn"], as: .officer)
        #expect(added.lastIsEphemeral)
        #expect(added.lastText.contains("Webhook #1 added"))
        #expect(added.lastText.contains("Signing secret (shown once)"))
        #expect(added.lastText.contains("`snapshot.finished`, `contest.drawn`"))
        #expect(!added.lastText.contains("secret-token"))

        let test = try await bot.command("webhook test", ["id": 1], as: .officer)
        #expect(test.callbackType == 5)
        #expect(test.lastText.contains("✅ Webhook #1 works"))
        #expect(test.lastText.contains("HTTP 200 after 2 attempts"))
        #expect(endpoint.requests.count == 2)

        let list = try await bot.command("webhook list", as: .leader)
        #expect(list.lastIsEphemeral)
        #expect(list.lastText.contains("#1"))
        #expect(list.lastText.contains("✅ HTTP 200"))
        #expect(!list.lastText.contains("secret-token"))

        let badURL = try await bot.command("webhook add", ["url": "http://example.com/hook", "provider": "slack"], as: .officer)
        #expect(badURL.lastIsEphemeral)
        #expect(badURL.lastText.contains("⚠️"))

        let removed = try await bot.command("webhook remove", ["id": 1], as: .officer)
        #expect(removed.lastText.contains("Webhook #1 removed"))
        let empty = try await bot.command("webhook list", as: .officer)
        #expect(empty.lastText.contains("None yet"))
    }
}

@Suite struct AutocompleteTests {
    @Test func skillsBossesTiersAndTimeZonesAnswerAtOnceWithoutTheNetwork() async throws {
        let bot = try BotHarness()
        try await bot.seedClan()
        let before = bot.hiscores.requests.count
        let started = ContinuousClock.now
        let skills = try await bot.command("leaderboard", ["metric": "skill_xp", "skill": "att"], as: .member, focused: "skill")
        // Discord drops an autocomplete answer after 3 seconds; this one is local work only (no hiscores request,
        // checked below). The bound is loose because a loaded test machine can starve any task for seconds.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(skills.callbackType == 8)
        #expect(skills.choices.first?["value"] as? String == "Attack")

        let bosses = try await bot.command("leaderboard", ["metric": "boss_kc", "boss": "zul"], as: .member, focused: "boss")
        #expect(bosses.choices.map { $0["name"] as? String } == ["Zulrah"])
        let tiers = try await bot.command("leaderboard", ["metric": "clues", "tier": "e"], as: .member, focused: "tier")
        #expect(tiers.choices.compactMap { $0["value"] as? String } == ["easy", "elite", "beginner", "medium", "master"])
        let zones = try await bot.command("clan create", ["name": "x", "timezone": "europe/lon"], as: .member, focused: "timezone")
        #expect(zones.choices.first?["value"] as? String == "Europe/London")
        #expect(bot.hiscores.requests.count == before)
    }

    @Test func clansMembersJobsEventsAndWebhooksComeFromTheDatabase() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan(extraMembers: ["Offal Eater"])
        let clans = try await bot.command("clan info", ["clan": "iron"], as: .member, focused: "clan")
        #expect(clans.choices.first?["name"] as? String == "Iron Legion (iron-legion)")
        #expect(clans.choices.first?["value"] as? String == "iron-legion")

        let members = try await bot.command("gains", ["rsn": "off"], as: .member, focused: "rsn")
        #expect(members.choices.compactMap { $0["value"] as? String } == ["Offi Sir", "Offal Eater"])

        _ = try await bot.command("snapshot run", as: .leader)
        let jobs = try await bot.command("snapshot status", ["job": ""], as: .member, focused: "job")
        let job = try #require(try await bot.services.batches.recent(clanID: clan.id).first)
        #expect(jobs.choices.first?["value"] as? String == job.jobID)

        let events = try await bot.command("webhook add", ["events": "snapshot.finished, contest.d"], as: .officer, focused: "events")
        #expect(events.choices.compactMap { $0["value"] as? String } == ["snapshot.finished,contest.drawn"])

        _ = try await bot.environment.webhooks.add(clanID: clan.id, url: "https://discord.com/api/webhooks/1/abc", provider: .discord)
        let hooks = try await bot.command("webhook test", ["id": ""], as: .officer, focused: "id")
        #expect(hooks.choices.first?["value"] as? Int == 1)
        #expect((hooks.choices.first?["name"] as? String)?.contains("abc") == false)
        let hidden = try await bot.command("webhook test", ["id": ""], as: .member, focused: "id")
        #expect(hidden.callbackType == 8)
        #expect(hidden.choices.isEmpty)
    }
}
