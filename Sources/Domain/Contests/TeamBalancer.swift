import Foundation

/// Fills N teams of a teams contest so they start about even (README "Teams filled automatically").
///
/// Deterministic, so two officers asking for the same teams from the same snapshots get the same teams:
/// 1. every member is rated by the points the contest's own rules would have given them over the lookback
///    (`PointsScoring`, the last 30 days by default); a member without snapshots there rates 0;
/// 2. members are ordered by rating, highest first, equal ratings by normalised RSN (byte order);
/// 3. a snake draft deals them out: team 1, 2, …, N, then N, …, 2, 1, and so on, so the team that picks first
///    in one round picks last in the next.
public enum TeamBalancer {
    /// One member to place and their rating.
    public struct Rated: Sendable, Hashable {
        public var name: String
        public var rating: Int64

        public init(name: String, rating: Int64) {
            self.name = name
            self.rating = rating
        }
    }

    /// The most teams a contest is split into automatically.
    public static let maximumTeams = 10

    /// "Team 1" … "Team N": neutral names an officer can change with `/contest teams teams:`.
    public static func defaultNames(_ count: Int) -> [String] { (1...max(1, count)).map { "Team \($0)" } }

    /// The draft order: rating descending, ties by normalised name (then as typed, so nothing depends on input order).
    public static func order(_ members: [Rated]) -> [Rated] {
        members.sorted { a, b in
            if a.rating != b.rating { return a.rating > b.rating }
            let (na, nb) = (EntryList.normalise(a.name) ?? a.name, EntryList.normalise(b.name) ?? b.name)
            if na != nb { return RankingText.byteOrder(na, nb) }
            return RankingText.byteOrder(a.name, b.name)
        }
    }

    /// Which team (0-based) the member at `pick` (0-based, in draft order) joins with `teams` teams: the snake.
    public static func team(ofPick pick: Int, teams: Int) -> Int {
        let round = pick / teams
        let offset = pick % teams
        return round % 2 == 0 ? offset : teams - 1 - offset
    }

    /// `names.count` teams (2…10) from `members`, snake-drafted; every team gets at least one member.
    public static func balance(_ members: [Rated], names: [String]) throws(TeamBalanceError) -> [ContestTeam] {
        guard (2...maximumTeams).contains(names.count) else { throw .teamCount(names.count) }
        guard members.count >= names.count else { throw .tooFewMembers(members: members.count, teams: names.count) }
        var lists = Array(repeating: [String](), count: names.count)
        for (pick, member) in order(members).enumerated() {
            lists[team(ofPick: pick, teams: names.count)].append(member.name)
        }
        var teams: [ContestTeam] = []
        for (index, name) in names.enumerated() {
            do {
                teams.append(try ContestTeam(name: name, members: lists[index]))
            } catch {
                throw .team(error)
            }
        }
        do { try ContestTeam.validate(teams) } catch { throw .team(error) }
        return teams
    }
}

/// Why teams could not be filled automatically.
public enum TeamBalanceError: Error, Equatable, Sendable, CustomStringConvertible {
    case teamCount(Int)
    case tooFewMembers(members: Int, teams: Int)
    case team(ContestTeamError)

    public var description: String {
        switch self {
        case .teamCount(let count): "split into 2–\(TeamBalancer.maximumTeams) teams, not \(count)"
        case .tooFewMembers(let members, let teams): "the clan has \(members) active members, too few for \(teams) teams"
        case .team(let error): error.description
        }
    }
}
