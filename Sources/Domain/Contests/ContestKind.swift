import Foundation

/// What a contest decides (docs/draw-scheme.md §8). Chosen at creation; part of the committed rules text, so locked
/// at activation together with the rules.
public enum ContestKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rules give tickets (`weight` entries each when `threshold` is reached); one draw picks the winners.
    case raffle
    /// Rules give points (`weight` points per `threshold` gained); the top `winnersCount` members by score win.
    case ranked
    /// As ranked, but members play in named teams: a team's score is the sum of its members'; the best teams win.
    case teams

    /// Ranked and team contests score points; a raffle counts tickets.
    public var scoresPoints: Bool { self != .raffle }

    /// What one "winner" is: a member or a team.
    public var competitorNoun: String { self == .teams ? "team" : "member" }
}

/// A named team of a team contest: the RSNs given at draft time (auto-balancing fills the same shape).
public struct ContestTeam: Sendable, Hashable, Codable {
    /// As typed, trimmed ("Red Dragons").
    public var name: String
    /// RSNs as typed, trimmed, in the order given.
    public var members: [String]

    /// The longest team name: room for a word or three, short enough for a ranking line.
    public static let maximumNameLength = 32
    /// A team is a clan's worth of people at most.
    public static let maximumMembers = 500

    public init(name: String, members: [String]) throws(ContestTeamError) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.normalise(name) != nil else { throw .invalidName(name) }
        var cleaned: [String] = []
        for member in members {
            let trimmed = member.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let normal = EntryList.normalise(trimmed) else { throw .invalidMember(team: name, member: member) }
            guard !cleaned.contains(where: { EntryList.normalise($0) == normal }) else { throw .memberTwice(team: name, member: trimmed) }
            cleaned.append(trimmed)
        }
        guard !cleaned.isEmpty else { throw .empty(team: name) }
        guard cleaned.count <= Self.maximumMembers else { throw .tooManyMembers(team: name, count: cleaned.count) }
        self.name = name
        self.members = cleaned
    }

    /// The team's name as the ranking file writes it: the RSN normalisation, up to 32 characters.
    public var normalisedName: String { Self.normalise(name) ?? name }

    /// The members' normalised RSNs, sorted by their bytes.
    var normalisedMembers: [String] {
        members.compactMap(EntryList.normalise).sorted(by: RankingText.byteOrder)
    }

    /// '_', '-' and whitespace become a space, ends trimmed, ASCII lower-cased; 1–32 of a–z, 0–9 and space, else nil.
    public static func normalise(_ name: String) -> String? {
        EntryList.normalise(name, maximumLength: maximumNameLength)
    }

    /// Checks a set of teams together: different names, and nobody in two teams.
    public static func validate(_ teams: [ContestTeam]) throws(ContestTeamError) {
        var teamOf: [String: String] = [:]
        var names = Set<String>()
        for team in teams {
            guard names.insert(team.normalisedName).inserted else { throw .duplicateTeam(team.name) }
            for member in team.normalisedMembers {
                if let other = teamOf[member] { throw .memberInTwoTeams(member: member, first: other, second: team.name) }
                teamOf[member] = team.name
            }
        }
    }

    /// The team lines of the committed rules text (§8.1), teams by normalised name:
    /// `"team" TAB name TAB member,member,… LF` with normalised names, members sorted by their bytes.
    static func canonicalText(_ teams: [ContestTeam]) -> String {
        teams.sorted { RankingText.byteOrder($0.normalisedName, $1.normalisedName) }
            .map { "team\t\($0.normalisedName)\t\($0.normalisedMembers.joined(separator: ","))\n" }.joined()
    }
}

/// Why a team (or a set of teams) was refused.
public enum ContestTeamError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidName(String)
    case invalidMember(team: String, member: String)
    case memberTwice(team: String, member: String)
    case empty(team: String)
    case tooManyMembers(team: String, count: Int)
    case duplicateTeam(String)
    case memberInTwoTeams(member: String, first: String, second: String)
    case notATeamContest(ContestKind)
    case noSuchTeam(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "'\(name)' is not a team name: use 1–\(ContestTeam.maximumNameLength) letters, digits and spaces"
        case .invalidMember(let team, let member): "'\(member)' in team \(team) is not an RSN (1–12 letters, digits, spaces, '-' or '_')"
        case .memberTwice(let team, let member): "\(member) is listed twice in team \(team)"
        case .empty(let team): "team \(team) has no members; list their RSNs separated by commas"
        case .tooManyMembers(let team, let count): "team \(team) lists \(count) members; at most \(ContestTeam.maximumMembers)"
        case .duplicateTeam(let name): "there is already a team called \(name)"
        case .memberInTwoTeams(let member, let first, let second):
            "\(member) is already in team \(first), so they cannot also play for \(second); a member plays for one team"
        case .notATeamContest(let kind): "only a teams contest has teams; this one is \(kind.rawValue)"
        case .noSuchTeam(let name): "there is no team called \(name)"
        }
    }
}

/// Byte-order comparison, the order every canonical file of the scheme uses.
enum RankingText {
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
    }
}
