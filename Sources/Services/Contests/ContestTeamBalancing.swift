import Domain
import Foundation
import Storage

/// Teams filled automatically, before activation: what `/contest teams auto:N` shows and saves on the draft.
public struct TeamBalancePreview: Sendable, Hashable {
    /// The draft with its new teams (officers may still replace them by hand until activation).
    public var detail: ContestDetail
    /// Each member's rating (the points the rules would have given over the lookback), by RSN as stored.
    public var ratings: [TeamBalancer.Rated]
    /// The lookback the ratings cover.
    public var from: Date
    public var to: Date

    /// The sum of each team's ratings, in the teams' order.
    public var teamRatings: [Int64] {
        let byName = Dictionary(ratings.map { ($0.name, $0.rating) }, uniquingKeysWith: { first, _ in first })
        return detail.contest.teams.map { team in PointsScoring.sum(team.members.map { byName[$0] ?? 0 }) }
    }
}

extension ContestService {
    /// How far back members are rated when teams are balanced.
    public static let balanceLookback: TimeInterval = 30 * 86_400

    /// Splits the clan's active members into `count` teams by `TeamBalancer` (rated by the points the contest's
    /// own rules would have given them over the last 30 days) and saves them on the draft, replacing its teams.
    /// Draft only, and the rules come first: they are what the members are rated on.
    public func balanceTeams(contestID: Int64, count: Int, names: [String]? = nil) async throws -> TeamBalancePreview {
        let now = clock()
        let from = now.addingTimeInterval(-Self.balanceLookback)
        return try await writing { db in
            let contest = try db.contests.get(id: contestID)
            guard contest.kind == .teams else { throw ContestServiceError.refused(.teams(.notATeamContest(contest.kind))) }
            guard contest.status == .draft else {
                throw ContestServiceError.refused(.wrongStatus(action: "set the teams of", status: contest.status, allowed: [.draft]))
            }
            guard !contest.rules.isEmpty else {
                throw ContestServiceError.invalidRequest("add the points rules first: members are rated by the points those rules would have given them over the last 30 days")
            }
            let ratings = try Self.ratings(db, clanID: contest.clanID, rules: contest.rules, from: from, to: now)
            let teams = try Self.balanced(ratings, names: names ?? TeamBalancer.defaultNames(count))
            let saved = try db.contests.setTeams(teams, contestID: contestID, now: now)
            return TeamBalancePreview(detail: ContestDetail(contest: saved, entries: nil, draw: nil), ratings: ratings, from: from, to: now)
        }
    }

    static func balanced(_ ratings: [TeamBalancer.Rated], names: [String]) throws -> [ContestTeam] {
        do {
            return try TeamBalancer.balance(ratings, names: names)
        } catch {
            throw ContestServiceError.invalidRequest(error.description)
        }
    }

    /// Every active member's rating: the points `rules` give for their gains from their last snapshot at or before
    /// `from` (or, newer members, their first after it) to their last at or before `to`; 0 without two snapshots.
    static func ratings(_ db: Database, clanID: Int64, rules: [ContestRule], from: Date, to: Date) throws -> [TeamBalancer.Rated] {
        try db.members.listActive(clanID: clanID).map { member in
            let accountID = member.account.id
            let start = try db.snapshots.latest(accountID: accountID, atOrBefore: from)
                ?? db.snapshots.first(accountID: accountID, from: from, through: to)
            guard let start, let end = try db.snapshots.latest(accountID: accountID, atOrBefore: to), end.id != start.id else {
                return TeamBalancer.Rated(name: member.account.displayName, rating: 0)
            }
            let evaluation = RuleEvaluator.evaluate(rules: rules, startAt: start.fetchedAt, endAt: to, members: [
                ContestMember(accountID: accountID, name: member.account.displayName, snapshots: [start, end]),
            ])
            let rating = evaluation.members.first.map { PointsScoring.score($0).score } ?? 0
            return TeamBalancer.Rated(name: member.account.displayName, rating: rating)
        }
    }
}
