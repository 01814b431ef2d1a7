import Domain
import Foundation

extension ContestService {
    /// The series step of the contest loop: makes the editions that are due and logs what happened; an edition
    /// that cannot be made (too few members for its teams, say) is logged once per process and tried again each pass.
    func openSeriesEditions(failures: inout Set<String>, log: @Sendable (String) -> Void) async {
        do {
            for outcome in try await openDueEditions() {
                switch outcome {
                case .opened(let seriesID, let edition, let activation):
                    let contest = activation.detail.contest
                    log("series #\(seriesID): edition \(edition) is contest #\(contest.id) \(contest.name), active until \(contest.endAt.formatted(.iso8601))")
                case .failed(let seriesID, let name, let slot, let reason):
                    if failures.insert("\(seriesID)/\(slot)").inserted { log("series #\(seriesID) \(name): the next edition could not be made: \(reason)") }
                }
            }
        } catch {
            log("contest loop: series: \(error)")
        }
    }
}
