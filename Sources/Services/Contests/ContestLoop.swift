import Domain
import Foundation
import Storage

/// What ending one contest whose end time had come came to.
public enum ContestAutoEnd: Sendable {
    case ended(ContestEndResult)
    /// The end step was refused or failed (for example the bot was down until the committed beacon round
    /// was published, so the entries can no longer be locked fairly); `reason` says what to do.
    case failed(contestID: Int64, name: String, reason: String)
}

extension ContestService {
    /// Ends every active contest whose end time has passed, earliest first. `clanbot run` calls this so the
    /// entries are locked and published right after the end, long before the committed drand round exists,
    /// whether or not an officer is awake to type `/contest end`. A contest that another process (or an
    /// officer) ended in the meantime is skipped without a word.
    public func endDue() async throws -> [ContestAutoEnd] {
        let now = clock()
        let due = try await reading { db in try db.contests.list(status: .active) }
            .filter { $0.endAt <= now }
            .sorted { ($0.endAt, $0.id) < ($1.endAt, $1.id) }
        var outcomes: [ContestAutoEnd] = []
        for contest in due {
            do {
                outcomes.append(.ended(try await end(contestID: contest.id)))
            } catch {
                let current = try? await reading { db in try db.contests.find(id: contest.id) }
                if let current, current.status != .active { continue }
                outcomes.append(.failed(contestID: contest.id, name: contest.name, reason: "\(error)"))
            }
        }
        return outcomes
    }

    /// The contest loop of `clanbot run`, until cancelled: makes the editions of recurring contests that are due
    /// (`openDueEditions`), starts the batches contests are judged on shortly
    /// before their starts and ends (`snapshots`, when given), and ends contests as their end times come
    /// (`endDue`). It sleeps on `clock` until the next end time, at most `pollEvery`. Each outcome is logged; a
    /// contest that cannot be ended is logged once per process, not on every pass.
    public func runLoop(snapshots: ContestBoundarySnapshots? = nil, progress: BatchProgressHandler? = nil,
                        pollEvery: Duration = .seconds(30), clock: any WallClock = SystemWallClock(),
                        log: @escaping @Sendable (String) -> Void) async {
        var reported: Set<Int64> = []
        var mentioned: Set<String> = []  // boundary snapshots that wait or fail are logged once
        var seriesFailures: Set<String> = []  // series editions that cannot be made are logged once
        await PeriodicLoop.run(clock: clock, pollEvery: pollEvery, nextDue: { now in
            let ends = try? await store.read { db in try db.contests.list(status: .active) }.map(\.endAt).filter { $0 > now }.min()
            return [ends, await nextSeriesOpening(after: now)].compactMap { $0 }.min()
        }) {
            await openSeriesEditions(failures: &seriesFailures, log: log)
            do {
                for outcome in try await snapshots?.startDue(progress: progress) ?? [] {
                    switch outcome {
                    case .started(let id, let boundary, let jobID, let members):
                        log("contest #\(id): \(boundary.rawValue) snapshot of \(members) members started (job \(jobID))")
                    case .waiting(let id, let boundary, let reason):
                        if mentioned.insert("\(id)/\(boundary.rawValue)/waiting").inserted {
                            log("contest #\(id): \(boundary.rawValue) snapshot waits: \(reason)")
                        }
                    case .failed(let id, let boundary, let reason):
                        if mentioned.insert("\(id)/\(boundary.rawValue)/failed").inserted {
                            log("contest #\(id): \(boundary.rawValue) snapshot could not start: \(reason)")
                        }
                    }
                }
            } catch {
                log("contest loop: \(error)")
            }
            do {
                for outcome in try await endDue() {
                    switch outcome {
                    case .ended(let result):
                        let contest = result.detail.contest
                        let tickets = contest.entries?.ticketCount ?? 0
                        log(tickets == 0
                            ? "contest #\(contest.id) \(contest.name) ended with no entries; there is nothing to draw"
                            : "contest #\(contest.id) \(contest.name) ended: \(tickets) tickets locked, entry list SHA-256 \(contest.entries?.digest ?? "")")
                    case .failed(let id, let name, let reason):
                        if reported.insert(id).inserted { log("contest #\(id) \(name) could not be ended: \(reason)") }
                    }
                }
            } catch {
                log("contest loop: \(error)")
            }
        }
    }
}
