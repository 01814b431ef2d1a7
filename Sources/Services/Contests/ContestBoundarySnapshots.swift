import Domain
import Foundation
import Storage

/// The snapshots a contest is judged on, taken on time. A contest compares each member's last snapshot at or
/// before its start with the last at or before its end; left to the clan's schedule, those could be a day
/// old. So shortly before each boundary of an active contest the whole clan is snapshotted, early enough
/// for the batch to finish before the boundary at the hiscores rate.
public struct ContestBoundarySnapshots: Sendable {
    public enum Boundary: String, Sendable {
        case start = "baseline"
        case end = "final"
    }

    /// What one pass did about one contest boundary.
    public enum Outcome: Sendable, Equatable {
        case started(contestID: Int64, boundary: Boundary, jobID: String, members: Int)
        /// Another batch of the clan is running; the next pass tries again while there is time.
        case waiting(contestID: Int64, boundary: Boundary, reason: String)
        case failed(contestID: Int64, boundary: Boundary, reason: String)
    }

    let store: Store
    let batches: BatchSnapshotService
    let requestsPerSecond: Double
    let clock: @Sendable () -> Date

    public init(store: Store, batches: BatchSnapshotService, requestsPerSecond: Double,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.batches = batches
        self.requestsPerSecond = requestsPerSecond
        self.clock = clock
    }

    /// How long before a boundary its batch starts: twice what the members take at the hiscores rate
    /// (account type checks can add requests), and never less than five minutes.
    public static func lead(members: Int, requestsPerSecond: Double) -> TimeInterval {
        max(300, 2 * Double(members) / max(0.1, requestsPerSecond))
    }

    /// Starts every boundary batch that is due: an active contest whose start or end is less than its lead
    /// away (and not yet past). Each clan and boundary instant gets one batch however often this runs, and
    /// in however many processes.
    public func startDue(progress: BatchProgressHandler? = nil) async throws -> [Outcome] {
        let now = clock()
        let requestsPerSecond = requestsPerSecond
        let due: [(contest: Contest, boundary: Boundary, at: Date)] = try await store.read { db in
            var due: [(Contest, Boundary, Date)] = []
            for contest in try db.contests.list(status: .active) {
                let members = try db.batchRuns.activeMembers(clanID: contest.clanID).count
                guard members > 0 else { continue }  // nobody to snapshot
                let lead = Self.lead(members: members, requestsPerSecond: requestsPerSecond)
                for (boundary, at) in [(Boundary.start, contest.startAt), (.end, contest.endAt)]
                where now < at && now >= at.addingTimeInterval(-lead) {
                    // Started already (by this process, another one, or for another contest ending then too).
                    if try db.batchRuns.batch(clanID: contest.clanID, scheduledFor: at) != nil { continue }
                    due.append((contest, boundary, at))
                }
            }
            return due
        }
        var outcomes: [Outcome] = []
        for (contest, boundary, at) in due {
            do {
                guard let handle = try await batches.startForContest(
                    clanID: contest.clanID, boundary: at, requestedBy: "contest #\(contest.id) \(boundary.rawValue) snapshot",
                    progress: progress)
                else { continue }  // this boundary's batch already exists
                outcomes.append(.started(contestID: contest.id, boundary: boundary, jobID: handle.jobID, members: handle.memberCount))
            } catch let error as ServiceError {
                if case .batchAlreadyRunning = error {
                    // Another process started this very boundary's batch between the look above and this start: done.
                    let clanID = contest.clanID
                    if (try? await store.read({ db in try db.batchRuns.batch(clanID: clanID, scheduledFor: at) })) != nil { continue }
                    outcomes.append(.waiting(contestID: contest.id, boundary: boundary, reason: error.description))
                } else {
                    outcomes.append(.failed(contestID: contest.id, boundary: boundary, reason: error.description))
                }
            } catch {
                outcomes.append(.failed(contestID: contest.id, boundary: boundary, reason: "\(error)"))
            }
        }
        return outcomes
    }
}
