import Discord
import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport
@testable import Bot

@Suite struct AnnouncerTests {
    @Test func aScheduledBatchIsPublishedWhenItCloses() async throws {
        let bot = try BotHarness()
        let clan = try await bot.seedClan(extraMembers: ["Gone Fishin"])
        bot.hiscores.remove("Gone Fishin", from: .regular)
        let events = LockedValue<[String]>([])
        let hook = try HTTPTestServer { request in
            if let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any], let event = body["event"] as? String,
               let data = body["data"] as? [String: Any] {
                events.withLock { $0.append("\(event) \(data["succeeded"] as? String ?? "?")/\(data["members"] as? String ?? "?")") }
            }
            return .status(200)
        }
        defer { hook.stop() }
        _ = try await bot.environment.webhooks.add(clanID: clan.id, url: hook.baseURL + "/h", provider: .custom, events: "snapshot.finished,snapshot.failed")
        // A batch nobody watches in Discord (the scheduler's, a contest boundary's) is announced when it closes.
        let handle = try await bot.services.batches.start(clanID: clan.id, requestedBy: "schedule")
        _ = try await handle.result()
        await bot.announced()
        #expect(events.value == ["snapshot.finished 3/4"])
    }

    @Test func aScheduledSlotThatCannotStartIsPublishedAsScheduleFailedSignedToCustomReceivers() async throws {
        let bot = try BotHarness()
        // A clan whose only member has left: its scheduled batch has nobody to snapshot.
        let clan = try await bot.services.clans.create(guildID: BotHarness.guild, name: "Ghost Town")
        _ = try await bot.services.clans.addMembers(clanID: clan.id, names: ["Long Gone"], role: .member)
        _ = try await bot.services.clans.removeMember(clanID: clan.id, name: "Long Gone")
        let hook = try HTTPTestServer { _ in .status(204) }
        defer { hook.stop() }
        let added = try await bot.environment.webhooks.add(clanID: clan.id, url: hook.baseURL + "/receiver", provider: .custom, events: "schedule.failed")
        let secret = try #require(added.signingSecret)

        // A schedule due a minute ago, and the scheduler as `clanbot run` wires it.
        let saved = try await bot.services.schedules.setSchedule(clanID: clan.id, cron: "* * * * *")
        let slot = try #require(saved.nextRunAt)
        let scheduler = ScheduleService(store: bot.services.store, batches: bot.services.batches, clock: { slot.addingTimeInterval(5) },
                                        events: bot.root.events)
        let runs = try await scheduler.runDue()
        for run in runs { await run.wait() }
        await bot.announced()

        let request = try #require(hook.requests.first)
        #expect(hook.requests.count == 1)
        #expect(request.method == "POST" && request.path == "/receiver")
        let signature = try #require(request.headers[WebhookSignature.signatureHeader])
        let timestamp = try #require(request.headers[WebhookSignature.timestampHeader].flatMap { Int64($0) })
        #expect(WebhookSignature.isValid(signature: signature, body: Array(request.body), secret: Array(secret.utf8), timestamp: timestamp))
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["event"] as? String == "schedule.failed")
        #expect(body["clan"] as? String == "Ghost Town")
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["slot"] as? String == ISO8601DateFormatter().string(from: slot))
        #expect((data["reason"] as? String)?.contains("no active members") == true)
        let schedule = try await bot.services.schedules.schedule(clanID: clan.id)
        #expect(schedule?.lastRunStatus == .failed)
        #expect(schedule?.lastError == data["reason"] as? String)
        let webhook = try await bot.environment.webhooks.list(clanID: clan.id).first
        #expect(webhook?.lastStatusCode == 204)
    }
}
