import Domain
import Foundation
import Storage

/// Snapshots every active member of a clan as one batch job (`clan_snapshots`).
///
/// `start` records the batch and its members, then returns a handle with the job id at once while
/// the members are fetched in the background, `concurrency` at a time (the hiscores client's shared
/// rate limit paces the requests). Each member's result or error is written as it finishes; one
/// failing member never fails the batch (status "partial", the member flagged). Caches of the clan's
/// stats and leaderboards are dropped when the batch ends.
///
/// Batches a crashed process left "queued"/"running" are found by their stale heartbeat and either
/// resumed or closed with a reason (`recoverInterrupted`), so none stays running forever.
public struct BatchSnapshotService: Sendable {
    public let store: Store
    private let snapshotter: any MemberSnapshotting
    private let concurrency: Int
    /// Who runs batches in this process (written to `clan_snapshots.owner`).
    public let owner: String
    private let staleAfter: TimeInterval
    private let clock: @Sendable () -> Date
    private let events: ClanEvents
    /// How a batch's member fetches are shared with other processes (see `BatchMemberQueue`).
    private let queue: BatchMemberQueue

    /// `staleAfter`: how long a running batch may go without recording a member before another process
    /// may take it over.
    /// `queue`: how long another process's member claim lasts, and how often the owner looks again while other
    /// processes still fetch the last members.
    public init(store: Store, snapshotter: any MemberSnapshotting, concurrency: Int = 4, owner: String = BatchSnapshotService.processOwner,
                staleAfter: TimeInterval = 600, clock: @escaping @Sendable () -> Date = { Date() }, events: ClanEvents = .unobserved,
                queue: BatchMemberQueue = BatchMemberQueue()) {
        self.store = store
        self.snapshotter = snapshotter
        self.concurrency = max(1, concurrency)
        self.owner = owner
        self.staleAfter = staleAfter
        self.clock = clock
        self.events = events
        self.queue = queue
    }

    /// host/pid plus a random tag, so two runs of the same pid never look alike.
    public static let processOwner: String = {
        let tag = UUID().uuidString.prefix(8).lowercased()
        return "\(machineName)/\(ProcessInfo.processInfo.processIdentifier)/\(tag)"
    }()

    /// This machine's name from gethostname(2): no DNS lookup, unlike `ProcessInfo.hostName`.
    static let machineName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: "/", with: "_")
    }()

    /// Starts a batch of the clan's active members on `mode`'s board (nil: the clan's default mode).
    /// Returns as soon as the batch is recorded. Throws `ServiceError.batchAlreadyRunning` while another
    /// batch of the clan is in progress.
    public func start(clanID: Int64, mode: SnapshotMode? = nil, requestedBy: String? = nil,
                      progress: BatchProgressHandler? = nil) async throws -> BatchHandle {
        guard let handle = try await begin(clanID: clanID, mode: mode, source: "manual", scheduledFor: nil,
                                           requestedBy: requestedBy, progress: progress) else {
            throw ServiceError.invalidRequest("the batch could not be recorded")  // only a scheduled slot can be taken
        }
        return handle
    }

    /// Starts the batch of a scheduled slot. Nil when that slot of the clan already has a batch
    /// (another process started it): the unique slot index is the last guard against running it twice.
    public func startScheduled(clanID: Int64, slot: Date, progress: BatchProgressHandler? = nil) async throws -> BatchHandle? {
        try await begin(clanID: clanID, mode: nil, source: "schedule", scheduledFor: slot, requestedBy: "schedule", progress: progress)
    }

    /// Starts the batch a contest is judged on, just before its start or end (`boundary`). Nil when the clan
    /// already has a batch for that instant (another process, or another contest with the same boundary):
    /// the slot index makes it run once. Recorded as a manual batch, so it never counts against the
    /// schedule's daily cap.
    public func startForContest(clanID: Int64, boundary: Date, requestedBy: String,
                                progress: BatchProgressHandler? = nil) async throws -> BatchHandle? {
        try await begin(clanID: clanID, mode: nil, source: "manual", scheduledFor: boundary, requestedBy: requestedBy, progress: progress)
    }

    /// The batch with `jobID` and its members' lines, or nil when there is none.
    public func status(jobID: String) async throws -> (run: BatchRun, members: [BatchMember])? {
        try await store.read { db in
            guard let run = try db.batchRuns.batch(jobID: jobID) else { return nil }
            return (run, try db.batchRuns.members(batchID: run.id))
        }
    }

    /// The clan's latest batches, newest first.
    public func recent(clanID: Int64, limit: Int = 10) async throws -> [BatchRun] {
        try await store.read { db in try db.batchRuns.recent(clanID: clanID, limit: limit) }
    }

    /// Finds batches left unfinished by a stopped process and takes each over: resumed when it started
    /// less than `resumeWithin` ago, otherwise closed with a reason. A batch counts as left behind when
    /// its owner was a process on this machine that no longer exists (found at once on restart), or
    /// when no member was recorded for `staleAfter` (an owner on another machine that went away).
    public func recoverInterrupted(resumeWithin: TimeInterval = 6 * 3600, progress: BatchProgressHandler? = nil) async throws -> [BatchRecovery] {
        let now = clock()
        let staleBefore = now.addingTimeInterval(-staleAfter)
        let owner = owner
        let unfinished = try await store.read { db in try db.batchRuns.unfinished() }
        var outcomes: [BatchRecovery] = []
        for candidate in unfinished where candidate.owner != owner {
            let lastSign = candidate.heartbeatAt ?? candidate.startedAt ?? candidate.queuedAt
            let ownerGone = candidate.owner.map(Self.isDeadLocalProcess) ?? false
            guard ownerGone || lastSign < staleBefore else { continue }
            let started = candidate.startedAt ?? candidate.queuedAt
            let resume = now.timeIntervalSince(started) <= resumeWithin
            let claimed: BatchRun? = try await store.write { db in
                let won = if ownerGone, let previous = candidate.owner {
                    try db.batchRuns.claimFromOwner(batchID: candidate.id, expectedOwner: previous, owner: owner, now: now)
                } else {
                    try db.batchRuns.claimAbandoned(batchID: candidate.id, owner: owner, now: now, staleBefore: staleBefore)
                }
                guard won else { return nil }
                if resume {
                    try db.batchRuns.requeueRunning(batchID: candidate.id, claimedBy: candidate.owner, now: now)
                    return candidate
                }
                let reason = "closed on restart: the process running this batch (\(candidate.owner ?? "unknown")) stopped "
                    + "before it finished, and the batch is too old to resume"
                guard let closed = try db.batchRuns.finish(batchID: candidate.id, now: now, reason: reason) else { return nil }
                try db.aggregateCache.invalidate(clanID: candidate.clanID)
                return closed
            }
            guard let run = claimed else { continue }
            if resume {
                outcomes.append(.resumed(launch(run: run, progress: progress)))
            } else {
                outcomes.append(.closed(run))
            }
        }
        return outcomes
    }

    /// While `clanbot run` runs, after its start-up recovery: every `interval` on `clock`, takes over the batches a
    /// process elsewhere left behind (found by their stale heartbeat, `staleAfter`), so none blocks its clan until
    /// some process restarts, and helps with the batches other processes run (`helpOtherBatches`). Each one taken
    /// over or helped is logged. Until cancelled.
    public func watchAbandoned(every interval: Duration = .seconds(30), clock: any WallClock = SystemWallClock(),
                               log: @escaping @Sendable (String) -> Void) async {
        await PeriodicLoop.run(clock: clock, pollEvery: interval, passFirst: false) {
            do {
                for recovery in try await recoverInterrupted() { log(recovery.logLine) }
            } catch {
                log("batch recovery: \(error)")
            }
            do {
                for (run, fetched) in try await helpOtherBatches() {
                    log("batch \(run.jobID) of clan #\(run.clanID) (run by \(run.owner ?? "another process")): helped with \(fetched) member\(fetched == 1 ? "" : "s")")
                }
            } catch {
                log("batch help: \(error)")
            }
        }
    }

    /// True when `owner` ("host/pid/tag") names a process on this machine that no longer runs.
    /// Signal 0 only asks whether the pid exists; nothing is sent.
    static func isDeadLocalProcess(_ owner: String) -> Bool {
        let parts = owner.split(separator: "/")
        guard parts.count == 3, String(parts[0]) == machineName, let pid = Int32(parts[1]), pid > 0 else {
            return false
        }
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    // MARK: running

    private func begin(clanID: Int64, mode: SnapshotMode?, source: String, scheduledFor: Date?, requestedBy: String?,
                       progress: BatchProgressHandler?) async throws -> BatchHandle? {
        let now = clock()
        let jobID = Self.newJobID()
        let owner = owner
        let staleBefore = now.addingTimeInterval(-staleAfter)
        let created: BatchRun? = try await store.write { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            if let running = try db.batchRuns.running(clanID: clanID, freshSince: staleBefore) {
                throw ServiceError.batchAlreadyRunning(jobID: running.jobID)
            }
            guard let run = try db.batchRuns.create(clanID: clanID, jobID: jobID, mode: mode ?? clan.defaultSnapshotMode, source: source,
                                                       scheduledFor: scheduledFor, requestedBy: requestedBy, owner: owner, now: now) else {
                return nil
            }
            return run
        }
        guard let run = created else { return nil }
        return launch(run: run, progress: progress)
    }

    private func launch(run: BatchRun, progress: BatchProgressHandler?) -> BatchHandle {
        let work = work(run: run, progress: progress)
        let task = Task { try await work.run() }
        return BatchHandle(jobID: run.jobID, batchID: run.id, clanID: run.clanID, memberCount: run.memberCount, task: task)
    }

    private func work(run: BatchRun, progress: BatchProgressHandler?) -> BatchWork {
        BatchWork(store: store, snapshotter: snapshotter, concurrency: concurrency, clock: clock, run: run,
                  board: run.mode.board, progress: progress, events: events, owner: owner, queue: queue)
    }

    /// Helps with the batches other processes run: fetches their members nobody has claimed yet with this process's
    /// own snapshotter (its own hiscores budget), `concurrency` at a time, until none is left; the owner closes each
    /// batch. Returns how many members this process fetched, by batch. `clanbot run` calls it on every pass of
    /// `watchAbandoned`, so every process drains every batch.
    @discardableResult
    public func helpOtherBatches() async throws -> [(run: BatchRun, fetched: Int)] {
        let owner = owner
        let batches = try await store.read { db in try db.batchRuns.batchesToHelp(owner: owner) }
        var helped: [(run: BatchRun, fetched: Int)] = []
        for run in batches {
            let fetched = await work(run: run, progress: nil).help()
            if fetched > 0 { helped.append((run, fetched)) }
        }
        return helped
    }

    /// 16 random hex digits: short enough to type, long enough never to repeat.
    static func newJobID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }
}
