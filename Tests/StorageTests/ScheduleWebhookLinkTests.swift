import DatabaseTestTraits
import Domain
import Foundation
import TestSupport
import Testing
import TestSupport
@testable import Storage

@Suite(.databaseTests) struct ScheduleRepositoryTests {
    @Test(arguments: TestDatabaseBackend.all) func setReadDueClaimAndRecord(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let schedule = try db.schedules.set(clanID: clan.id, cron: " 0 6 * * * ", maxDailyRuns: 2, nextRunAt: Fixtures.at(hours: 1), now: Fixtures.t0)
        #expect(schedule.cron == "0 6 * * *" && schedule.maxDailyRuns == 2 && schedule.enabled)
        #expect(try db.schedules.get(clanID: clan.id) == schedule)
        #expect(try db.schedules.due(at: Fixtures.t0).isEmpty)
        #expect(try db.schedules.due(at: Fixtures.at(hours: 1)).map(\.id) == [schedule.id])
        #expect(try db.schedules.nextDueTime() == Fixtures.at(hours: 1))

        // Two schedulers saw the same due time: only one wins.
        let first = try db.schedules.claim(
            scheduleID: schedule.id, expectedNextRunAt: Fixtures.at(hours: 1), nextRunAt: Fixtures.at(hours: 25), claimedBy: "a", now: Fixtures.at(hours: 1))
        let second = try db.schedules.claim(
            scheduleID: schedule.id, expectedNextRunAt: Fixtures.at(hours: 1), nextRunAt: Fixtures.at(hours: 25), claimedBy: "b", now: Fixtures.at(hours: 1))
        #expect(first && !second)
        let claimed = try db.schedules.get(clanID: clan.id)
        #expect(claimed.claimedBy == "a" && claimed.nextRunAt == Fixtures.at(hours: 25))

        let recorded = try db.schedules.recordRun(clanID: clan.id, status: .partial, error: "2 members not on the hiscores", at: Fixtures.at(hours: 2))
        #expect(recorded.lastRunStatus == .partial && recorded.lastError == "2 members not on the hiscores" && recorded.lastRunAt == Fixtures.at(hours: 2))
        let off = try db.schedules.setEnabled(clanID: clan.id, false)
        #expect(!off.enabled)
        #expect(try db.schedules.due(at: Fixtures.at(hours: 100)).isEmpty)
        #expect(try db.schedules.setNextRun(clanID: clan.id, nil).nextRunAt == nil)

        // Setting it again replaces cron and cap, keeps history.
        let replaced = try db.schedules.set(clanID: clan.id, cron: "30 18 * * 1", maxDailyRuns: 1, nextRunAt: nil)
        #expect(replaced.id == schedule.id && replaced.cron == "30 18 * * 1" && replaced.lastRunStatus == .partial)
        try db.schedules.delete(clanID: clan.id)
        #expect(try db.schedules.find(clanID: clan.id) == nil)
        #expect(throws: StorageError.unknownSchedule(clanID: clan.id)) { try db.schedules.delete(clanID: clan.id) }
    }

    @Test(arguments: TestDatabaseBackend.all) func invalidSchedulesAreRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        #expect {
            try db.schedules.set(clanID: clan.id, cron: "0 6 * * *", maxDailyRuns: 3, nextRunAt: nil)
        } throws: { error in
            guard case .invalidSchedule(let reason) = error as? StorageError else { return false }
            return reason.contains("at most 2")
        }
        #expect(throws: StorageError.self) { try db.schedules.set(clanID: clan.id, cron: "every day", nextRunAt: nil) }
        #expect(throws: StorageError.unknownClan("with id 99")) { try db.schedules.set(clanID: 99, cron: "0 6 * * *", nextRunAt: nil) }
        #expect(throws: StorageError.unknownSchedule(clanID: clan.id)) { try db.schedules.recordRun(clanID: clan.id, status: .failed) }
        #expect {
            try db.execute("INSERT INTO clan_schedules (clan_id, cron, max_daily_runs, created_at, updated_at) VALUES (?, '* * * * *', 3, 0, 0)", [clan.id])
        } throws: { ($0 as? DatabaseError)?.isCheckViolation == true }
    }

    @Test(arguments: TestDatabaseBackend.all) func scheduledRunsAreCountedAndASlotRunsOnce(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let insert = """
            INSERT INTO clan_snapshots (clan_id, job_id, mode, source, scheduled_for, queued_at) VALUES (?, ?, 'auto', 'schedule', ?, ?)
            """
        try db.execute(insert, [clan.id, "job-1", Fixtures.at(hours: 6), Fixtures.at(hours: 6)])
        #expect {
            try db.execute(insert, [clan.id, "job-2", Fixtures.at(hours: 6), Fixtures.at(hours: 6)])
        } throws: { ($0 as? DatabaseError)?.isUniqueViolation == true }
        try db.execute(insert, [clan.id, "job-3", Fixtures.at(hours: 18), Fixtures.at(hours: 18)])
        #expect(try db.schedules.scheduledRunCount(clanID: clan.id, from: Fixtures.t0, before: Fixtures.at(hours: 24)) == 2)
        #expect(try db.schedules.scheduledRunCount(clanID: clan.id, from: Fixtures.at(hours: 7), before: Fixtures.at(hours: 24)) == 1)
    }
}

@Suite(.databaseTests) struct WebhookRepositoryTests {
    @Test(arguments: TestDatabaseBackend.all) func addListSubscribeRecordDelete(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let hook = try db.webhooks.add(
            clanID: clan.id, url: "https://discord.com/api/webhooks/1/abc", provider: .discord,
            events: [.snapshotFinished, .contestDrawn, .snapshotFinished], secret: "s3cret", now: Fixtures.t0)
        #expect(hook.events == [.snapshotFinished, .contestDrawn] && hook.secret == "s3cret" && hook.enabled)
        let slack = try db.webhooks.add(clanID: clan.id, url: "https://hooks.slack.com/x", provider: .slack, events: [.contestDrawn])
        #expect(try db.webhooks.list(clanID: clan.id).map(\.id) == [hook.id, slack.id])
        #expect(try db.webhooks.subscribed(clanID: clan.id, to: .snapshotFinished).map(\.id) == [hook.id])
        #expect(try db.webhooks.subscribed(clanID: clan.id, to: .contestDrawn).map(\.id) == [hook.id, slack.id])
        try db.webhooks.setEnabled(id: slack.id, clanID: clan.id, false)
        #expect(try db.webhooks.subscribed(clanID: clan.id, to: .contestDrawn).map(\.id) == [hook.id])

        try db.webhooks.recordDelivery(id: hook.id, statusCode: 429, error: "rate limited", at: Fixtures.at(hours: 1))
        let after = try db.webhooks.get(id: hook.id, clanID: clan.id)
        #expect(after.lastStatusCode == 429 && after.lastError == "rate limited" && after.lastDeliveryAt == Fixtures.at(hours: 1))
        try db.webhooks.recordDelivery(id: hook.id, statusCode: 204, error: nil)
        #expect(try db.webhooks.get(id: hook.id, clanID: clan.id).lastError == nil)

        let other = try db.clans.create(guildID: Fixtures.guild, name: "Other", now: Fixtures.t0)
        #expect(throws: StorageError.unknownWebhook(hook.id)) { try db.webhooks.delete(id: hook.id, clanID: other.id) }
        try db.webhooks.delete(id: hook.id, clanID: clan.id)
        #expect(throws: StorageError.unknownWebhook(hook.id)) { try db.webhooks.get(id: hook.id, clanID: clan.id) }
        #expect(throws: StorageError.unknownWebhook(hook.id)) { try db.webhooks.recordDelivery(id: hook.id, statusCode: 200, error: nil) }
    }

    @Test(arguments: TestDatabaseBackend.all) func badWebhooksAreRefused(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        try db.webhooks.add(clanID: clan.id, url: "https://example.com/a", provider: .custom, events: [.scheduleFailed])
        #expect(throws: StorageError.webhookExists(clanID: clan.id)) {
            try db.webhooks.add(clanID: clan.id, url: "https://example.com/a", provider: .custom, events: [.contestEnded])
        }
        #expect(throws: StorageError.unknownClan("with id 99")) {
            try db.webhooks.add(clanID: 99, url: "https://example.com/a", provider: .custom, events: [.contestEnded])
        }
        #expect(throws: StorageError.self) { try db.webhooks.add(clanID: clan.id, url: "ftp://x", provider: .custom, events: [.contestEnded]) }
        #expect(throws: StorageError.self) { try db.webhooks.add(clanID: clan.id, url: "https://example.com/b", provider: .custom, events: []) }
        #expect {
            try db.execute("UPDATE clan_webhooks SET provider = 'teams'")
        } throws: { ($0 as? DatabaseError)?.isCheckViolation == true }
    }
}

@Suite(.databaseTests) struct DiscordLinkRepositoryTests {
    @Test(arguments: TestDatabaseBackend.all) func linkVerifyRoleAndUnlink(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let clan = try db.clans.create(guildID: Fixtures.guild, name: "Legion", now: Fixtures.t0)
        let zezima = try Fixtures.account(db, "Zezima")
        let woox = try Fixtures.account(db, "Woox")
        try db.members.add(clanID: clan.id, accountID: zezima.id, role: .leader)
        let user = "111111111111111111"

        #expect(try db.discordLinks.role(ofUser: user, inClan: clan.id) == nil)
        let link = try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: user, accountID: zezima.id, linkedBy: user, now: Fixtures.t0)
        #expect(!link.verified && link.linkedBy == user)
        // Unverified: anyone could claim the leader's name, so it grants no more than member.
        #expect(try db.discordLinks.role(ofUser: user, inClan: clan.id) == .member)
        let verified = try db.discordLinks.verify(guildID: Fixtures.guild, discordUserID: user, verifiedBy: "222", now: Fixtures.at(hours: 1))
        #expect(verified.verified && verified.verifiedBy == "222" && verified.verifiedAt == Fixtures.at(hours: 1))
        #expect(try db.discordLinks.role(ofUser: user, inClan: clan.id) == .leader)
        #expect(try db.discordLinks.find(guildID: Fixtures.guild, accountID: zezima.id)?.discordUserID == user)

        // Not a member in the clan, or linked in another guild only: no role.
        try db.members.remove(clanID: clan.id, accountID: zezima.id)
        #expect(try db.discordLinks.role(ofUser: user, inClan: clan.id) == nil)
        let elsewhere = try db.clans.create(guildID: Fixtures.otherGuild, name: "Elsewhere", now: Fixtures.t0)
        try db.members.add(clanID: elsewhere.id, accountID: zezima.id, role: .officer)
        #expect(try db.discordLinks.role(ofUser: user, inClan: elsewhere.id) == nil)

        // Relinking to another account replaces the link and drops the verification.
        let relinked = try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: user, accountID: woox.id)
        #expect(relinked.accountID == woox.id && !relinked.verified)
        let vouched = try db.discordLinks.link(guildID: Fixtures.otherGuild, discordUserID: user, accountID: zezima.id, verifiedBy: "333", now: Fixtures.t0)
        #expect(vouched.verified && vouched.verifiedAt == Fixtures.t0)
        #expect(try db.discordLinks.role(ofUser: user, inClan: elsewhere.id) == .officer)

        try db.discordLinks.unlink(guildID: Fixtures.guild, discordUserID: user)
        #expect(try db.discordLinks.find(guildID: Fixtures.guild, discordUserID: user) == nil)
        #expect(throws: StorageError.notLinked(discordUserID: user, guildID: Fixtures.guild)) {
            try db.discordLinks.unlink(guildID: Fixtures.guild, discordUserID: user)
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func oneAccountOneUserPerGuildAndRealIDs(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let zezima = try Fixtures.account(db, "Zezima")
        try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: "1", accountID: zezima.id)
        #expect(throws: StorageError.accountLinkedToAnotherUser(account: "Zezima", guildID: Fixtures.guild)) {
            try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: "2", accountID: zezima.id)
        }
        #expect(throws: StorageError.unknownAccount("with id 99")) {
            try db.discordLinks.link(guildID: Fixtures.guild, discordUserID: "3", accountID: 99)
        }
        #expect(throws: StorageError.self) { try db.discordLinks.link(guildID: "abc", discordUserID: "3", accountID: zezima.id) }
        #expect(throws: StorageError.notLinked(discordUserID: "9", guildID: Fixtures.guild)) {
            try db.discordLinks.verify(guildID: Fixtures.guild, discordUserID: "9", verifiedBy: "1")
        }
    }
}
