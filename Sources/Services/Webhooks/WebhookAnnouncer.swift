import Domain
import Foundation
import Storage

/// Publishes clan events to the clan's subscribed webhooks: snapshot.finished / snapshot.failed when a batch
/// closes, schedule.failed, and the contest steps. A failing webhook is recorded on the webhook (last status,
/// last error) and logged; it never fails what caused the event.
public struct WebhookAnnouncer: ClanEventSubscriber {
    let webhooks: WebhookService
    let store: Store
    let clock: @Sendable () -> Date
    let log: @Sendable (String) -> Void

    public init(webhooks: WebhookService, store: Store, clock: @escaping @Sendable () -> Date = { Date() },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.webhooks = webhooks
        self.store = store
        self.clock = clock
        self.log = log
    }

    public func handle(_ event: ClanEvent) async {
        let clanID = event.clanID
        guard let clan = try? await store.read({ db in try db.clans.find(id: clanID) }) else {
            log("\(event.name) for clan #\(clanID) not published: the clan is gone")
            return
        }
        let message: WebhookMessage?
        switch event {
        case .batchFinished(let run):
            let members = (try? await store.read { db in try db.batchRuns.members(batchID: run.id) }) ?? []
            message = Self.snapshotMessage(run, members: members, clanName: clan.name)
        case .scheduleFailed(let failure):
            message = Self.scheduleFailedMessage(failure, clanName: clan.name, at: clock())
        case .contest(let announcement):
            message = announcement.webhookMessage(clanName: clan.name, at: clock())
        case .activity:
            message = nil
        }
        if let message { await publish(message, clanID: clanID) }
    }

    /// Sends `message` to the clan's subscribed webhooks, logging rather than throwing.
    func publish(_ message: WebhookMessage, clanID: Int64) async {
        do {
            for outcome in try await webhooks.publish(message, clanID: clanID) where !outcome.result.succeeded {
                log("webhook #\(outcome.webhookID) \(message.event.rawValue): \(outcome.result.error ?? "HTTP \(outcome.result.statusCode ?? 0)")")
            }
        } catch {
            log("could not publish \(message.event.rawValue) for clan #\(clanID): \(error)")
        }
    }

    static func scheduleFailedMessage(_ failure: ScheduleFailure, clanName: String, at now: Date) -> WebhookMessage {
        let slot = ISO8601Time.string(failure.slot)
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

    static func snapshotMessage(_ run: BatchRun, members: [BatchMember], clanName: String) -> WebhookMessage {
        let failed = run.status == .failed
        let failures = members.filter { $0.status == .failed }
        var fields = [WebhookMessage.Field(name: "Members", value: "\(run.succeededCount)/\(run.memberCount) snapshotted", inline: true),
                      WebhookMessage.Field(name: "Status", value: run.status.rawValue, inline: true)]
        if let started = run.startedAt, let finished = run.finishedAt {
            fields.append(WebhookMessage.Field(name: "Took", value: Wording.duration(finished.timeIntervalSince(started)), inline: true))
        }
        if !failures.isEmpty {
            fields.append(WebhookMessage.Field(name: "Failed", value: failures.prefix(20).map { "\($0.displayName): \(Wording.batchFailure($0.errorKind))" }.joined(separator: "\n")))
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
