import Domain
import Foundation
import Storage

/// A clan event as the events log stores it (migration 12): a small JSON object with its format version `v` and
/// its `type`, written by hand with fixed snake_case keys (not the Swift types' synthesized forms), so a later
/// build still reads what this one wrote. Times are Unix epoch milliseconds, as everywhere in the database.
///
/// Version 1:
/// - `batch.finished`: the closed run itself (`run`: id, clan, job, status, mode, counts, times, error);
/// - `schedule.failed`: clan, slot, reason, whether the schedule was turned off;
/// - `contest`: the contest id and the published step (`activated`, `ended`, `drawn`, `cancelled`); what that step
///   published is read back from the contest's stored rows (commitment, entries, lock, draw), which never change
///   once published, instead of copying proofs and entry lists into the log;
/// - `clan.activity`: the clan (the activity itself is in `clan_activity`).
///
/// A payload with a newer `v`, an unknown `type` or missing fields cannot be decoded: the delivery loop marks it
/// skipped and logs it, and goes on with the next event.
enum ClanEventPayload {
    /// The format this build writes; it reads this one and every older one.
    static let version = 1

    struct Envelope: Codable {
        var v: Int
        var type: String
        var run: Run?
        var clanID: Int64?
        var slotMs: Int64?
        var reason: String?
        var scheduleDisabled: Bool?
        var contestID: Int64?
        var step: String?

        enum CodingKeys: String, CodingKey {
            case v, type, run, reason, step
            case clanID = "clan_id", slotMs = "slot_ms", scheduleDisabled = "schedule_disabled", contestID = "contest_id"
        }
    }

    /// `BatchRun`, field by field.
    struct Run: Codable {
        var id: Int64
        var clanID: Int64
        var jobID: String
        var status: String
        var mode: String
        var source: String
        var scheduledForMs: Int64?
        var requestedBy: String?
        var owner: String?
        var heartbeatAtMs: Int64?
        var queuedAtMs: Int64
        var startedAtMs: Int64?
        var finishedAtMs: Int64?
        var latencyMs: Int?
        var memberCount: Int
        var succeededCount: Int
        var failedCount: Int
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, status, mode, source, owner, error
            case clanID = "clan_id", jobID = "job_id", scheduledForMs = "scheduled_for_ms", requestedBy = "requested_by"
            case heartbeatAtMs = "heartbeat_at_ms", queuedAtMs = "queued_at_ms", startedAtMs = "started_at_ms", finishedAtMs = "finished_at_ms"
            case latencyMs = "latency_ms", memberCount = "member_count", succeededCount = "succeeded_count", failedCount = "failed_count"
        }

        init(_ run: BatchRun) {
            id = run.id
            clanID = run.clanID
            jobID = run.jobID
            status = run.status.rawValue
            mode = run.mode.key
            source = run.source
            scheduledForMs = run.scheduledFor?.epochMilliseconds
            requestedBy = run.requestedBy
            owner = run.owner
            heartbeatAtMs = run.heartbeatAt?.epochMilliseconds
            queuedAtMs = run.queuedAt.epochMilliseconds
            startedAtMs = run.startedAt?.epochMilliseconds
            finishedAtMs = run.finishedAt?.epochMilliseconds
            latencyMs = run.latencyMs
            memberCount = run.memberCount
            succeededCount = run.succeededCount
            failedCount = run.failedCount
            error = run.error
        }

        func batchRun() throws(ClanEventDecodingError) -> BatchRun {
            guard let status = BatchRun.Status(rawValue: status) else { throw .invalid("unknown batch status \"\(status)\"") }
            guard let mode = SnapshotMode(key: mode) else { throw .invalid("unknown snapshot mode \"\(mode)\"") }
            return BatchRun(id: id, clanID: clanID, jobID: jobID, status: status, mode: mode, source: source,
                            scheduledFor: scheduledForMs.map(Date.init(epochMilliseconds:)), requestedBy: requestedBy, owner: owner,
                            heartbeatAt: heartbeatAtMs.map(Date.init(epochMilliseconds:)), queuedAt: Date(epochMilliseconds: queuedAtMs),
                            startedAt: startedAtMs.map(Date.init(epochMilliseconds:)), finishedAt: finishedAtMs.map(Date.init(epochMilliseconds:)),
                            latencyMs: latencyMs, memberCount: memberCount, succeededCount: succeededCount, failedCount: failedCount, error: error)
        }
    }

    /// The published step of a contest announcement, as stored.
    enum ContestStep: String {
        case activated, ended, drawn, cancelled

        init(_ announcement: ContestAnnouncement) {
            switch announcement {
            case .activated: self = .activated
            case .ended: self = .ended
            case .drawn: self = .drawn
            case .cancelled: self = .cancelled
            }
        }
    }

    /// The stored JSON of `event`.
    static func encode(_ event: ClanEvent) -> String {
        var envelope = Envelope(v: version, type: "")
        switch event {
        case .batchFinished(let run):
            envelope.type = "batch.finished"
            envelope.run = Run(run)
        case .scheduleFailed(let failure):
            envelope.type = "schedule.failed"
            envelope.clanID = failure.clanID
            envelope.slotMs = failure.slot.epochMilliseconds
            envelope.reason = failure.reason
            envelope.scheduleDisabled = failure.scheduleDisabled
        case .contest(let announcement):
            envelope.type = "contest"
            envelope.contestID = announcement.contest.id
            envelope.step = ContestStep(announcement).rawValue
        case .activity(let clanID):
            envelope.type = "clan.activity"
            envelope.clanID = clanID
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Plain values only: encoding cannot fail.
        return (try? encoder.encode(envelope)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The event `payload` describes, read back with `db` where it refers to stored rows (a contest's published step).
    static func decode(_ payload: String, in db: Database) throws(ClanEventDecodingError) -> ClanEvent {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(payload.utf8))
        } catch {
            throw .invalid("not a clan event: \(error)")
        }
        guard envelope.v <= version else { throw .newerFormat(envelope.v) }
        switch envelope.type {
        case "batch.finished":
            guard let run = envelope.run else { throw .invalid("batch.finished without its run") }
            return .batchFinished(try run.batchRun())
        case "schedule.failed":
            guard let clanID = envelope.clanID, let slot = envelope.slotMs, let reason = envelope.reason else {
                throw .invalid("schedule.failed without its clan, slot or reason")
            }
            return .scheduleFailed(ScheduleFailure(clanID: clanID, slot: Date(epochMilliseconds: slot), reason: reason,
                                                   scheduleDisabled: envelope.scheduleDisabled ?? false))
        case "contest":
            guard let contestID = envelope.contestID, let step = envelope.step.flatMap(ContestStep.init(rawValue:)) else {
                throw .invalid("contest event without its contest or a known step")
            }
            do {
                return .contest(try ContestService.published(db, contestID: contestID, step: step))
            } catch {
                throw .invalid("contest #\(contestID) \(step.rawValue) cannot be read back: \(error)")
            }
        case "clan.activity":
            guard let clanID = envelope.clanID else { throw .invalid("clan.activity without its clan") }
            return .activity(clanID: clanID)
        default:
            throw .invalid("unknown event type \"\(envelope.type)\"")
        }
    }
}

/// Why a stored clan event cannot be delivered by this build.
enum ClanEventDecodingError: Error, CustomStringConvertible {
    case invalid(String)
    /// Written by a newer build, in a format this one does not know.
    case newerFormat(Int)

    var description: String {
        switch self {
        case .invalid(let reason): reason
        case .newerFormat(let version): "written in event format \(version) by a newer build (this one reads up to \(ClanEventPayload.version))"
        }
    }
}
