import Domain
import Foundation
import Storage

/// One batch's background work: claim members from the batch's queue in the database, fetch them with bounded
/// concurrency, record each, and (for the batch's owner) close the batch once no member is left.
///
/// The owner's lanes wait while other processes still fetch the last members (their claims are fresh), then
/// take over any claim that expired; a helper's lanes stop as soon as nothing is left to claim.
struct BatchWork: Sendable {
    struct Member: Sendable {
        let accountID: Int64
        let displayName: String
    }

    let store: Store
    let snapshotter: any MemberSnapshotting
    let concurrency: Int
    let clock: @Sendable () -> Date
    let run: BatchRun
    let board: HiscoresBoard?
    let progress: BatchProgressHandler?
    /// Told `.batchFinished` once the batch is closed.
    let events: ClanEvents
    /// This process (the claims' `claimed_by`).
    let owner: String
    let queue: BatchMemberQueue

    /// What one lane's step came to.
    private enum Step: Sendable {
        /// A member was fetched and recorded (nil report: recording failed; the claim expires and another takes it).
        case fetched(BatchProgress?)
        /// Other processes hold the last claims: look again later (owner) or stop (helper).
        case othersFetching
        /// Nothing left, the batch closed, or the database could not be reached: the lane ends.
        case done
    }

    /// The owner's work: drains the queue, waits for other processes' last members, closes the batch.
    func run() async throws -> BatchRun {
        _ = await drain(waitForOthers: true)
        let now = clock()
        let reason = Task.isCancelled ? "cancelled before every member was fetched (the process is stopping)" : nil
        let batchID = run.id
        let clanID = run.clanID
        let final = try await store.write { db in
            let final = try db.batchRuns.finish(batchID: batchID, now: now, reason: reason)
            try db.aggregateCache.invalidate(clanID: clanID)
            return final
        }
        if let final { events.post(.batchFinished(final)) }
        return final ?? run
    }

    /// A helper's work on another process's batch: fetches what nobody claimed yet; returns how many it fetched.
    func help() async -> Int {
        await drain(waitForOthers: false)
    }

    /// `concurrency` lanes claim, fetch and record one member at a time; progress is reported in order.
    private func drain(waitForOthers: Bool) async -> Int {
        var fetched = 0
        await withTaskGroup(of: Step.self) { group in
            for _ in 0..<concurrency { group.addTask { await step(wait: false) } }
            while let step = await group.next() {
                guard !Task.isCancelled else { continue }
                switch step {
                case .fetched(let report):
                    if let report {
                        fetched += 1
                        await progress?(report)
                    }
                    group.addTask { await self.step(wait: false) }
                case .othersFetching:
                    if waitForOthers { group.addTask { await self.step(wait: true) } }
                case .done:
                    break
                }
            }
        }
        return fetched
    }

    /// Claims the next member (after a pause when `wait`), fetches and records it.
    private func step(wait: Bool) async -> Step {
        if wait {
            do { try await queue.clock.sleep(for: queue.pollEvery) } catch { return .done }
        }
        let now = clock()
        let batchID = run.id
        let owner = owner
        let expiredBefore = now.addingTimeInterval(-queue.claimTimeout)
        let claim: BatchMemberClaim
        do {
            claim = try await store.write { db in
                try db.batchRuns.claimNextMember(batchID: batchID, owner: owner, now: now, expiredBefore: expiredBefore)
            }
        } catch {
            return .done
        }
        switch claim {
        case .claimed(let accountID, let displayName):
            guard let report = await fetch(Member(accountID: accountID, displayName: displayName)) else {
                return Task.isCancelled ? .done : .fetched(nil)
            }
            return .fetched(report)
        case .othersFetching:
            return .othersFetching
        case .none:
            return .done
        }
    }

    /// Fetches one member and records the result; nil when cancelled before the fetch ended or not recorded.
    private func fetch(_ member: Member) async -> BatchProgress? {
        let batchID = run.id
        do {
            let result = try await snapshotter.snapshotMember(accountID: member.accountID, displayName: member.displayName, board: board)
            let now = clock()
            let finished = try await store.write { db in
                try db.batchRuns.recordSuccess(batchID: batchID, accountID: member.accountID, snapshotID: result.snapshotID,
                                                  latencyMs: result.latencyMs, now: now)
                return try db.batchRuns.finishedCount(batchID: batchID)
            }
            return BatchProgress(jobID: run.jobID, accountID: member.accountID, displayName: member.displayName,
                                 succeeded: true, error: nil, finished: finished, total: run.memberCount, achievements: result.achievements)
        } catch {
            if Task.isCancelled { return nil }
            let kind = (error as? any BatchMemberError)?.kind ?? "error"
            let latency = (error as? any BatchMemberError)?.latencyMs
            let message = String(describing: error)
            let now = clock()
            do {
                let finished = try await store.write { db in
                    try db.batchRuns.recordFailure(batchID: batchID, accountID: member.accountID, kind: kind,
                                                      message: message, latencyMs: latency, now: now)
                    return try db.batchRuns.finishedCount(batchID: batchID)
                }
                return BatchProgress(jobID: run.jobID, accountID: member.accountID, displayName: member.displayName,
                                     succeeded: false, error: message, finished: finished, total: run.memberCount)
            } catch {
                // The member stays claimed; once the claim expires it is fetched again, or finishing marks it skipped.
                return nil
            }
        }
    }
}
