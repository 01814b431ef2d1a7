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
        // What the scheduler of `clanbot run` passes as its progress callback.
        let handle = try await bot.services.batches.start(clanID: clan.id, requestedBy: "schedule", progress: bot.environment.announcer.scheduledBatchProgress)
        _ = try await handle.result()
        #expect(await GatewayEndToEndTests.wait(.seconds(10)) { !events.value.isEmpty })
        #expect(events.value == ["snapshot.finished 3/4"])
    }
}
