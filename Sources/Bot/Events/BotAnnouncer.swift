import Domain
import Foundation
import Services
import Storage

/// Publishes clan events to the clan's webhooks: snapshot.finished / snapshot.failed when a batch ends
/// (started from Discord or by the scheduler), and the contest announcements. A failing webhook is
/// recorded on the webhook (last status, last error) and never fails the command that caused the event.
public struct BotAnnouncer: Sendable {
    let webhooks: WebhookService
    let batches: BatchSnapshotService
    let store: Store
    let log: @Sendable (String) -> Void

    public init(webhooks: WebhookService, batches: BatchSnapshotService, store: Store, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.webhooks = webhooks
        self.batches = batches
        self.store = store
        self.log = log
    }

    /// Publishes the end of a batch.
    @discardableResult
    public func batchFinished(_ run: BatchRun, clan: Clan) async -> [WebhookService.Outcome] {
        let members = (try? await batches.status(jobID: run.jobID)?.members) ?? []
        return await publish(Self.snapshotMessage(run, members: members, clanName: clan.name), clanID: clan.id)
    }

    /// The progress callback of batches nobody watches in Discord (scheduled ones, and those the contest loop
    /// starts): when the last member finished, waits for the batch to be closed and publishes it.
    public var scheduledBatchProgress: BatchProgressHandler {
        let announcer = self
        return { progress in
            guard progress.finished >= progress.total else { return }
            Task { await announcer.publishWhenClosed(jobID: progress.jobID) }
        }
    }

    func publishWhenClosed(jobID: String) async {
        // The batch row is finished right after its last member is recorded; give it a moment.
        for _ in 0..<50 {
            if let status = try? await batches.status(jobID: jobID), status.run.status.isFinished {
                let clanID = status.run.clanID
                guard let clan = try? await store.read({ db in try db.clans.find(id: clanID) }) else { return }
                _ = await batchFinished(status.run, clan: clan)
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        log("batch \(jobID) did not close within 10 s; no webhook announcement")
    }

    /// The scheduler's failure callback: publishes schedule.failed (clan, slot, reason) to the clan's webhooks.
    /// Pass it to `ScheduleService.run(progress:onFailure:)` next to `scheduledBatchProgress`.
    public var scheduleFailure: ScheduleFailureHandler {
        let announcer = self
        return { failure in await announcer.scheduleFailed(failure) }
    }

    /// Publishes one slot that could not start.
    @discardableResult
    public func scheduleFailed(_ failure: ScheduleFailure, at now: Date = Date()) async -> [WebhookService.Outcome] {
        let clanID = failure.clanID
        guard let clan = try? await store.read({ db in try db.clans.find(id: clanID) }) else {
            log("schedule.failed for clan #\(clanID) not published: the clan is gone")
            return []
        }
        return await publish(Self.scheduleFailedMessage(failure, clanName: clan.name, at: now), clanID: clanID)
    }

    static func scheduleFailedMessage(_ failure: ScheduleFailure, clanName: String, at now: Date) -> WebhookMessage {
        let slot = ISO8601DateFormatter().string(from: failure.slot)
        var fields = [WebhookMessage.Field(name: "Slot", time: failure.slot, inline: true),
                      WebhookMessage.Field(name: "Reason", value: failure.reason)]
        if failure.scheduleDisabled {
            fields.append(WebhookMessage.Field(name: "Schedule", value: "turned off until an officer sets it again with /schedule set"))
        }
        return WebhookMessage(
            event: .scheduleFailed, clanName: clanName, title: "Scheduled snapshot run could not start",
            description: "The snapshot run of \(clanName) due at \(slot) did not start: \(failure.reason)", fields: fields, occurredAt: now,
            data: ["slot": slot, "slot_ms": String(Int64((failure.slot.timeIntervalSince1970 * 1000).rounded())), "reason": failure.reason,
                   "schedule_disabled": String(failure.scheduleDisabled)])
    }

    /// For `ContestService.setAnnouncer`: contest.activated (commitment), contest.ended (entry-list digest and N)
    /// and contest.drawn (reveal, winners, recipe) to the clan's subscribed webhooks.
    public var contestAnnouncer: ContestService.Announcer {
        let announcer = self
        return { announcement in
            let clanID = announcement.contest.clanID
            guard let clan = try? await announcer.store.read({ db in try db.clans.find(id: clanID) }),
                  let message = announcement.webhookMessage(clanName: clan.name, at: Date()) else { return }
            await announcer.publish(message, clanID: clanID)
        }
    }

    /// Sends `message` to the clan's subscribed webhooks, logging rather than throwing.
    @discardableResult
    public func publish(_ message: WebhookMessage, clanID: Int64) async -> [WebhookService.Outcome] {
        do {
            let outcomes = try await webhooks.publish(message, clanID: clanID)
            for outcome in outcomes where !outcome.result.succeeded {
                log("webhook #\(outcome.webhookID) \(message.event.rawValue): \(outcome.result.error ?? "HTTP \(outcome.result.statusCode ?? 0)")")
            }
            return outcomes
        } catch {
            log("could not publish \(message.event.rawValue) for clan #\(clanID): \(error)")
            return []
        }
    }

    static func snapshotMessage(_ run: BatchRun, members: [BatchMember], clanName: String) -> WebhookMessage {
        let failed = run.status == .failed
        let failures = members.filter { $0.status == .failed }
        var fields = [WebhookMessage.Field(name: "Members", value: "\(run.succeededCount)/\(run.memberCount) snapshotted", inline: true),
                      WebhookMessage.Field(name: "Status", value: run.status.rawValue, inline: true)]
        if let started = run.startedAt, let finished = run.finishedAt {
            fields.append(WebhookMessage.Field(name: "Took", value: Format.duration(finished.timeIntervalSince(started)), inline: true))
        }
        if !failures.isEmpty {
            fields.append(WebhookMessage.Field(name: "Failed", value: failures.prefix(20).map { "\($0.displayName): \(JobsPanel.failureKind($0.errorKind))" }.joined(separator: "\n")))
        }
        let description = failed
            ? "The snapshot run of \(clanName) failed" + (run.error.map { ": \($0)" } ?? ".")
            : "\(clanName): \(run.succeededCount) of \(run.memberCount) members snapshotted" + (failures.isEmpty ? "." : " (\(failures.count) failed).")
        return WebhookMessage(
            event: failed ? .snapshotFailed : .snapshotFinished, clanName: clanName,
            title: failed ? "Snapshot run failed" : "Snapshot run finished", description: description, fields: fields,
            occurredAt: run.finishedAt ?? Date(),
            data: ["job_id": run.jobID, "status": run.status.rawValue, "members": String(run.memberCount),
                   "succeeded": String(run.succeededCount), "failed": String(run.failedCount), "source": run.source])
    }
}
