import Domain
import Foundation
import Storage

/// A scheduled run this process claimed.
public struct ScheduledRun: Sendable {
    public enum Outcome: Sendable {
        /// The batch started; `wait()` returns once it finished and its outcome is recorded on the schedule.
        case started(BatchHandle)
        /// Not run, with the reason (daily cap reached, a batch already running, the slot already had a batch).
        case skipped(String)
        /// Could not start (see `ScheduleFailure` for what counts); recorded as failed and posted as `.scheduleFailed`.
        case failed(String)
    }

    public let clanID: Int64
    /// The `next_run_at` this run was due at.
    public let slot: Date
    public let outcome: Outcome
    let recorded: Task<Void, Never>?

    /// Waits until the batch finished and the schedule's last_run_status/last_error were written.
    public func wait() async { await recorded?.value }
}

/// Clan schedules: saving them (cron checked, next run computed in the clan's zone) and the
/// scheduler of `clanbot run`, which starts each due batch exactly once even when several processes
/// share the database: a run is claimed by a compare-and-set on `next_run_at`, and the batch's
/// unique (clan, slot) row is the second guard.
public struct ScheduleService: Sendable {
    public let store: Store
    private let batches: BatchSnapshotService
    public let owner: String
    private let clock: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    private let events: ClanEvents

    /// `events` hears of every slot that could not start (`.scheduleFailed`).
    public init(store: Store, batches: BatchSnapshotService, owner: String = BatchSnapshotService.processOwner,
                clock: @escaping @Sendable () -> Date = { Date() }, events: ClanEvents = .unobserved,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.batches = batches
        self.owner = owner
        self.clock = clock
        self.events = events
        self.log = log
    }

    /// Creates or replaces the clan's schedule. The cron is read in the clan's time zone;
    /// `maxDailyRuns` above 2 is refused with the reason. A cron firing more often than that is accepted
    /// (the first runs of each day run, the rest are skipped); callers show `dailyCapWarning`.
    public func setSchedule(clanID: Int64, cron: String, maxDailyRuns: Int = 1, enabled: Bool = true) async throws -> ClanSchedule {
        let now = clock()
        return try await store.write { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            let schedule: Schedule
            do {
                schedule = try Schedule(cron: cron.trimmingCharacters(in: .whitespacesAndNewlines), timeZoneIdentifier: clan.timeZone,
                                        maxDailyRuns: maxDailyRuns)
            } catch {
                throw ServiceError.invalidRequest("\(error)")
            }
            let runsToday = try Self.runsToday(db, clanID: clanID, schedule: schedule, now: now)
            let next = enabled ? schedule.nextRun(after: now, runsToday: runsToday) : nil
            return try db.schedules.set(clanID: clanID, cron: schedule.cron.source, maxDailyRuns: maxDailyRuns, enabled: enabled,
                                        nextRunAt: next, now: now)
        }
    }

    /// What `/schedule set` and `clanbot clan schedule` say (without refusing) when the stored cron fires more often in
    /// a day than its max_daily_runs lets run; nil when every firing can run or the stored schedule cannot be read.
    public static func dailyCapWarning(_ schedule: ClanSchedule, timeZone: String) -> String? {
        (try? Schedule(cron: schedule.cron, timeZoneIdentifier: timeZone, maxDailyRuns: schedule.maxDailyRuns))?.dailyCapWarning
    }

    /// Turns the clan's schedule on (next run computed from now) or off (no next run).
    public func setEnabled(clanID: Int64, _ enabled: Bool) async throws -> ClanSchedule {
        let now = clock()
        return try await store.write { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            guard let stored = try db.schedules.find(clanID: clanID) else {
                throw ServiceError.invalidRequest("\(clan.name) has no schedule yet; set one with a cron expression first")
            }
            var next: Date?
            if enabled {
                let schedule: Schedule
                do {
                    schedule = try Schedule(cron: stored.cron, timeZoneIdentifier: clan.timeZone, maxDailyRuns: stored.maxDailyRuns)
                } catch {
                    throw ServiceError.invalidRequest("the stored schedule cannot run: \(error)")
                }
                next = schedule.nextRun(after: now, runsToday: try Self.runsToday(db, clanID: clanID, schedule: schedule, now: now))
            }
            return try db.schedules.setEnabled(clanID: clanID, enabled, nextRunAt: next, now: now)
        }
    }

    public func schedule(clanID: Int64) async throws -> ClanSchedule? {
        try await store.read { db in try db.schedules.find(clanID: clanID) }
    }

    /// One scheduler pass: claims every due schedule this process wins and starts its batch. A slot that
    /// cannot start is recorded and posted as `.scheduleFailed`.
    @discardableResult
    public func runDue(progress: BatchProgressHandler? = nil) async throws -> [ScheduledRun] {
        let now = clock()
        let due = try await store.read { db in try db.schedules.due(at: now) }
        var runs: [ScheduledRun] = []
        for row in due {
            guard let slot = row.nextRunAt else { continue }
            if let run = try await claimAndStart(row, slot: slot, now: now, progress: progress) { runs.append(run) }
        }
        return runs
    }

    /// The scheduler loop of `clanbot run`: runs due schedules, sleeping on `clock` until the next one is due (at
    /// most `pollEvery`), until cancelled. Batches a stopped process left behind are not its business: `clanbot run`
    /// recovers them before it starts the loops, and `BatchSnapshotService.watchAbandoned` takes over later ones.
    public func run(pollEvery: Duration = .seconds(30), clock: any WallClock = SystemWallClock(),
                    progress: BatchProgressHandler? = nil) async {
        await PeriodicLoop.run(clock: clock, pollEvery: pollEvery, nextDue: { _ in
            try? await store.read { db in try db.schedules.nextDueTime() }
        }) {
            do {
                for run in try await runDue(progress: progress) {
                    switch run.outcome {
                    case .started(let handle): log("scheduled batch \(handle.jobID) started for clan \(run.clanID)")
                    case .skipped(let reason): log("scheduled run of clan \(run.clanID) skipped: \(reason)")
                    case .failed(let reason): log("scheduled run of clan \(run.clanID) failed: \(reason)")
                    }
                }
            } catch {
                log("scheduler: \(error)")
            }
        }
    }

    /// What claiming a due slot came to.
    private enum Claim {
        case lost
        case start
        case skip(String)
        case fail(String, disabled: Bool)
    }

    private func claimAndStart(_ row: ClanSchedule, slot: Date, now: Date, progress: BatchProgressHandler?) async throws -> ScheduledRun? {
        let owner = owner
        let clanID = row.clanID
        // Work out the next slot and claim this one in one write, so the count of today's runs is current.
        let claim: Claim = try await store.write { db in
            guard let clan = try db.clans.find(id: clanID) else { return .lost }
            let schedule: Schedule
            do {
                schedule = try Schedule(cron: row.cron, timeZoneIdentifier: clan.timeZone, maxDailyRuns: row.maxDailyRuns)
            } catch {
                // A schedule that cannot be read would be retried forever: stop it and say why. The compare-and-set
                // keeps a second process from reporting the same slot.
                guard try db.schedules.claim(scheduleID: row.id, expectedNextRunAt: slot, nextRunAt: nil, claimedBy: owner, now: now) else {
                    return .lost
                }
                let reason = "schedule disabled: \(error)"
                _ = try db.schedules.setEnabled(clanID: clanID, false, nextRunAt: nil, now: now)
                try db.schedules.recordRun(clanID: clanID, status: .failed, error: reason, at: now)
                return .fail(reason, disabled: true)
            }
            let runsToday = try Self.runsToday(db, clanID: clanID, schedule: schedule, now: now)
            let capped = runsToday >= schedule.maxDailyRuns
            let next = schedule.nextRun(after: now, runsToday: capped ? runsToday : runsToday + 1)
            guard try db.schedules.claim(scheduleID: row.id, expectedNextRunAt: slot, nextRunAt: next, claimedBy: owner, now: now) else {
                return .lost
            }
            if capped {
                let reason = "the daily cap of \(schedule.maxDailyRuns) run\(schedule.maxDailyRuns == 1 ? "" : "s") was already reached today"
                try db.schedules.recordRun(clanID: clanID, status: .skipped, error: reason, at: now)
                return .skip(reason)
            }
            // A batch of nobody would "succeed" silently, run after run; an officer should add members or turn it off.
            if try db.batchRuns.activeMembers(clanID: clanID).isEmpty {
                let reason = "\(clan.name) has no active members to snapshot; add members or turn the schedule off"
                try db.schedules.recordRun(clanID: clanID, status: .failed, error: reason, at: now)
                return .fail(reason, disabled: false)
            }
            return .start
        }
        switch claim {
        case .lost: return nil
        case .skip(let reason): return ScheduledRun(clanID: clanID, slot: slot, outcome: .skipped(reason), recorded: nil)
        case .fail(let reason, let disabled):
            return await failed(ScheduleFailure(clanID: clanID, slot: slot, reason: reason, scheduleDisabled: disabled))
        case .start: break
        }

        let handle: BatchHandle?
        do {
            handle = try await batches.startScheduled(clanID: clanID, slot: slot, progress: progress)
        } catch ServiceError.batchAlreadyRunning(let jobID) {
            let message = "a batch of the clan was already running (job \(jobID))"
            try await store.write { db in _ = try db.schedules.recordRun(clanID: clanID, status: .skipped, error: message, at: now) }
            return ScheduledRun(clanID: clanID, slot: slot, outcome: .skipped(message), recorded: nil)
        } catch {
            let message = "the batch could not start: \(error)"
            // Report it even if recording it fails too (the storage may be what is broken).
            let recordError: (any Error)?
            do {
                try await store.write { db in _ = try db.schedules.recordRun(clanID: clanID, status: .failed, error: message, at: now) }
                recordError = nil
            } catch {
                recordError = error
            }
            let run = await failed(ScheduleFailure(clanID: clanID, slot: slot, reason: message))
            if let recordError { log("could not record the failed run of clan \(clanID): \(recordError)") }
            return run
        }
        guard let handle else {
            return ScheduledRun(clanID: clanID, slot: slot, outcome: .skipped("another process already ran this slot"), recorded: nil)
        }
        let batchID = handle.batchID
        try await store.write { db in
            _ = try db.schedules.recordRun(clanID: clanID, status: .running, error: nil, clanSnapshotID: batchID, at: now)
        }
        let store = store
        let clock = clock
        let recorded = Task {
            let status: ScheduleRunStatus
            let message: String?
            do {
                let run = try await handle.result()
                status = ScheduleRunStatus(rawValue: run.status.rawValue) ?? .failed
                message = run.error
            } catch {
                status = .failed
                message = String(describing: error)
            }
            _ = try? await store.write { db in
                try db.schedules.recordRun(clanID: clanID, status: status, error: message, clanSnapshotID: batchID, at: clock())
            }
        }
        return ScheduledRun(clanID: clanID, slot: slot, outcome: .started(handle), recorded: recorded)
    }

    /// A failed slot, posted for the announcers.
    private func failed(_ failure: ScheduleFailure) async -> ScheduledRun {
        await events.post(.scheduleFailed(failure))
        return ScheduledRun(clanID: failure.clanID, slot: failure.slot, outcome: .failed(failure.reason), recorded: nil)
    }

    /// Scheduled runs of the clan since the start of its local day.
    static func runsToday(_ db: Database, clanID: Int64, schedule: Schedule, now: Date) throws -> Int {
        let dayStart = schedule.startOfLocalDay(containing: now)
        return try db.schedules.scheduledRunCount(clanID: clanID, from: dayStart, before: now.addingTimeInterval(1))
    }
}
