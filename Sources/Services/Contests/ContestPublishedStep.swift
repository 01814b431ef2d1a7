import Domain
import Foundation
import Storage

extension ContestService {
    /// The announcement of a step a contest published earlier, read back from its stored rows for the clan events log
    /// (`ClanEventPayload`): the commitment at activation, the entries and lock at the end (without what a later draw
    /// added), the draw, the cancellation. The end's evaluation is computed again from the same snapshots.
    static func published(_ db: Database, contestID: Int64, step: ClanEventPayload.ContestStep) throws -> ContestAnnouncement {
        let contest = try db.contests.get(id: contestID)
        switch step {
        case .activated:
            guard let commitment = contest.commitment else { throw ContestServiceError.missingStoredValue(contestID: contestID, what: "commitment") }
            var activated = contest
            activated.status = .active
            activated.entries = nil
            return .activated(ContestActivation(detail: ContestDetail(contest: activated, entries: nil, draw: nil), commitment: commitment))
        case .ended:
            var detail = try detail(db, contest: contest)
            detail.contest.status = .ended
            detail.draw = nil
            detail.ranking = nil
            detail.rankingJSON = nil
            let members = try members(db, contest: contest, windowEnd: contest.endAt)
            let evaluation = RuleEvaluator.evaluate(rules: contest.rules, startAt: contest.startAt, endAt: contest.endAt, members: members)
            let points = contest.kind.scoresPoints ? PointsStandings.make(kind: contest.kind, teams: contest.teams, evaluation: evaluation) : nil
            return .ended(ContestEndResult(detail: detail, evaluation: evaluation, entryFile: try db.contests.entryFile(contestID: contestID) ?? [],
                                           points: points))
        case .drawn:
            return .drawn(ContestDrawResult(detail: try detail(db, contest: contest), alreadyDrawn: false))
        case .cancelled:
            return .cancelled(try detail(db, contest: contest))
        }
    }
}
