import Domain
import Foundation

extension ContestService {
    /// The series step of the contest loop: makes the editions that are due, draws the ended ones whose beacon
    /// round is out, and logs what happened; an edition that cannot be made (too few members for its teams, say)
    /// or drawn is logged once per process and tried again each pass.
    func openSeriesEditions(failures: inout Set<String>, log: @Sendable (String) -> Void) async {
        do {
            for outcome in try await openDueEditions() + drawDueEditions() {
                switch outcome {
                case .opened(let seriesID, let edition, let activation):
                    let contest = activation.detail.contest
                    log("series #\(seriesID): edition \(edition) is contest #\(contest.id) \(contest.name), active until \(ISO8601Time.string(contest.endAt))")
                case .failed(let seriesID, let name, let slot, let reason):
                    if failures.insert("\(seriesID)/\(slot)").inserted { log("series #\(seriesID) \(name): the next edition could not be made: \(reason)") }
                case .drawn(let result):
                    let contest = result.detail.contest
                    log("contest #\(contest.id) \(contest.name) (a series edition) was \(contest.kind.scoresPoints ? "ranked" : "drawn") by the bot")
                case .drawFailed(let id, let name, let reason):
                    if failures.insert("draw/\(id)").inserted { log("contest #\(id) \(name) (a series edition) could not be drawn yet: \(reason)") }
                }
            }
        } catch {
            log("contest loop: series: \(error)")
        }
    }
}
