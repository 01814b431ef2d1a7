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
        /// A member was fetched (or its fetch failed): the drain loop records it.
        case fetched(Fetched)
        /// The lane could not finish its member (cancelled, or the member could not be claimed properly): the claim
        /// expires and another lane or process takes it.
        case abandoned
        /// Other processes hold the last claims: look again later (owner) or stop (helper).
        case othersFetching
        /// Nothing left, the batch closed, or the database could not be reached: the lane ends.
        case done
    }

    /// One member's fetch, not yet recorded.
    private struct Fetched: Sendable {
        let member: Member
        let outcome: Outcome
    }

    private enum Outcome: Sendable {
        case succeeded(MemberSnapshotResult)
        case failed(kind: String, message: String, latencyMs: Int?)
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
        if let final { await events.post(.batchFinished(final)) }
        return final ?? run
    }

    /// A helper's work on another process's batch: fetches what nobody claimed yet; returns how many it fetched.
    func help() async -> Int {
        await drain(waitForOthers: false)
    }

    /// `concurrency` lanes claim and fetch one member at a time; this loop records each result and reports it, so
    /// the reports' `finished` counts come in the order the results were written (lanes end in any order).
    private func drain(waitForOthers: Bool) async -> Int {
        var fetched = 0
        await withTaskGroup(of: Step.self) { group in
            for _ in 0..<concurrency { group.addTask { await step(wait: false) } }
            while let step = await group.next() {
                switch step {
                case .fetched(let result):
                    // Recorded even when cancelled: the snapshot is stored, and the member should not be fetched again.
                    let report = await record(result)
                    guard !Task.isCancelled else { continue }
                    if let report {
                        fetched += 1
                        await progress?(report)
                    }
                    group.addTask { await self.step(wait: false) }
                case .abandoned:
                    guard !Task.isCancelled else { continue }
                    group.addTask { await self.step(wait: false) }
                case .othersFetching:
                    guard !Task.isCancelled else { continue }
                    if waitForOthers { group.addTask { await self.step(wait: true) } }
                case .done:
                    break
                }
            }
        }
        return fetched
    }

    /// Claims the next member (after a pause when `wait`) and fetches it.
    private func step(wait: Bool) async -> Step {
        if wait {
            do { try await queue.clock.sleep(for: queue.pollEvery) } catch { return .done }
            await releaseClaimsOfGoneProcesses()
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
            let member = Member(accountID: accountID, displayName: displayName)
            return await fetch(member).map { .fetched(Fetched(member: member, outcome: $0)) } ?? (Task.isCancelled ? .done : .abandoned)
        case .othersFetching:
            return .othersFetching
        case .none:
            return .done
        }
    }

    /// Claims held by a process on this machine that no longer runs (its pid is gone) are released at once rather than
    /// after `claimTimeout`: its members go back in the queue, or are recorded when it had stored their snapshot.
    private func releaseClaimsOfGoneProcesses() async {
        let batchID = run.id
        guard let claimers = try? await store.read({ db in try db.batchRuns.runningClaimers(batchID: batchID) }) else { return }
        let now = clock()
        for claimer in claimers where claimer != owner && BatchSnapshotService.isDeadLocalProcess(claimer) {
            _ = try? await store.write { db in try db.batchRuns.requeueRunning(batchID: batchID, claimedBy: claimer, now: now) }
        }
    }

    /// Fetches one member; nil when cancelled before the fetch ended.
    private func fetch(_ member: Member) async -> Outcome? {
        do {
            return .succeeded(try await snapshotter.snapshotMember(accountID: member.accountID, displayName: member.displayName, board: board))
        } catch {
            if Task.isCancelled { return nil }
            let memberError = error as? any BatchMemberError
            return .failed(kind: memberError?.kind ?? "error", message: String(describing: error), latencyMs: memberError?.latencyMs)
        }
    }

    /// Records one fetched member; nil when it could not be written (the member stays claimed: once the claim expires
    /// it is fetched again, or finishing the batch marks it skipped).
    private func record(_ result: Fetched) async -> BatchProgress? {
        let batchID = run.id
        let member = result.member
        let now = clock()
        do {
            let finished = try await store.write { db in
                switch result.outcome {
                case .succeeded(let snapshot):
                    try db.batchRuns.recordSuccess(batchID: batchID, accountID: member.accountID, snapshotID: snapshot.snapshotID,
                                                      latencyMs: snapshot.latencyMs, now: now)
                case .failed(let kind, let message, let latencyMs):
                    try db.batchRuns.recordFailure(batchID: batchID, accountID: member.accountID, kind: kind,
                                                      message: message, latencyMs: latencyMs, now: now)
                }
                return try db.batchRuns.finishedCount(batchID: batchID)
            }
            switch result.outcome {
            case .succeeded(let snapshot):
                return BatchProgress(jobID: run.jobID, accountID: member.accountID, displayName: member.displayName,
                                     succeeded: true, error: nil, finished: finished, total: run.memberCount,
                                     achievements: snapshot.achievements)
            case .failed(_, let message, _):
                return BatchProgress(jobID: run.jobID, accountID: member.accountID, displayName: member.displayName,
                                     succeeded: false, error: message, finished: finished, total: run.memberCount)
            }
        } catch {
            return nil
        }
    }
}
