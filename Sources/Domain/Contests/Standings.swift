import Foundation

/// A contest's standings at one moment, whatever its kind: members ranked by a score, best first, with shared
/// places for ties ("1224"), the teams' totals when the contest has teams, who is left out and why, and the
/// "so far" time — the newest snapshot the scores come from, not the moment someone asked.
///
/// Kind-agnostic on purpose: a raffle's score is its tickets (`ContestEvaluation.standings`), a ranked or points
/// contest's is its points, a team contest gives each entry its team. `/contest standings`, the scheduled posts and
/// the final ranking all render this one type.
public struct Standings: Sendable, Hashable {
    /// What a score counts, in words: "1 ticket", "12 points".
    public struct Unit: Sendable, Hashable {
        public var singular: String
        public var plural: String

        public init(singular: String, plural: String) {
            self.singular = singular
            self.plural = plural
        }

        public static let tickets = Unit(singular: "ticket", plural: "tickets")
        public static let points = Unit(singular: "point", plural: "points")

        /// "1 ticket", "1,250 points".
        public func amount(_ value: Int64) -> String {
            "\(ContestNumbers.format(value)) \(value == 1 ? singular : plural)"
        }
    }

    /// One member's score as the contest's kind computed it (the input).
    public struct Entry: Sendable, Hashable {
        public var accountID: Int64
        public var name: String
        public var score: Int64
        /// The member's team, in a team contest.
        public var team: String?
        /// How the score came about, in words ("1. needs 50,000 more Slayer xp; 2. done: 2 entries").
        public var detail: String?
        /// When the snapshot the score is measured to was taken.
        var measuredAt: Date?

        public init(accountID: Int64, name: String, score: Int64, team: String? = nil, detail: String? = nil, measuredAt: Date? = nil) {
            self.accountID = accountID
            self.name = name
            self.score = score
            self.team = team
            self.detail = detail
            self.measuredAt = measuredAt
        }
    }

    /// An entry with its place (ties share it).
    public struct Row: Sendable, Hashable {
        public var place: Int
        public var entry: Entry
    }

    /// A team's total: the sum of its members' scores.
    public struct TeamRow: Sendable, Hashable {
        public var place: Int
        public var name: String
        public var score: Int64
        public var members: Int
    }

    /// A member who takes no part, and why.
    public struct Excluded: Sendable, Hashable {
        public var accountID: Int64
        public var name: String
        public var reason: ExclusionReason

        public init(accountID: Int64, name: String, reason: ExclusionReason) {
            self.accountID = accountID
            self.name = name
            self.reason = reason
        }
    }

    public var unit: Unit
    /// Best first; equal scores share a place and are listed by name.
    public var rows: [Row]
    /// Best first; empty unless some entry has a team.
    public var teams: [TeamRow]
    public var excluded: [Excluded]
    /// The newest snapshot behind the scores; nil when nobody has been measured yet.
    public var soFar: Date?
    /// The oldest snapshot behind the scores (members measured at different times show a range).
    public var oldestMeasure: Date?
    /// True for the ranking at the contest's end, false while it runs.
    public var isFinal: Bool

    public init(unit: Unit, entries: [Entry], excluded: [Excluded] = [], isFinal: Bool) {
        self.unit = unit
        self.isFinal = isFinal
        let sorted = entries.sorted { Self.ordered($0.score, $0.name, $0.accountID, before: $1.score, $1.name, $1.accountID) }
        rows = zip(Ranking.competitionRanks(sorted.map(\.score)), sorted).map { Row(place: $0, entry: $1) }
        var totals: [String: (score: Int64, members: Int)] = [:]
        for entry in entries {
            guard let team = entry.team else { continue }
            totals[team, default: (0, 0)].score += entry.score
            totals[team, default: (0, 0)].members += 1
        }
        let teamOrder = totals.sorted { Self.ordered($0.value.score, $0.key, 0, before: $1.value.score, $1.key, 0) }
        teams = zip(Ranking.competitionRanks(teamOrder.map(\.value.score)), teamOrder).map {
            TeamRow(place: $0, name: $1.key, score: $1.value.score, members: $1.value.members)
        }
        self.excluded = excluded.sorted { $0.name.lowercased() < $1.name.lowercased() }
        let times = entries.compactMap(\.measuredAt)
        soFar = times.max()
        oldestMeasure = times.min()
    }

    /// Higher score first, then by name (case-insensitive), then by account, so the order never depends on input order.
    static func ordered(_ score: Int64, _ name: String, _ id: Int64, before otherScore: Int64, _ otherName: String, _ otherID: Int64) -> Bool {
        if score != otherScore { return score > otherScore }
        let (left, right) = (name.lowercased(), otherName.lowercased())
        if left != right { return left < right }
        return id < otherID
    }

    /// Rows `page * perPage ..< (page + 1) * perPage`, the page clamped to those that exist.
    public func page(_ requested: Int, perPage: Int) -> (rows: ArraySlice<Row>, page: Int, pages: Int) {
        let pages = max(1, (rows.count + perPage - 1) / perPage)
        let page = min(max(0, requested), pages - 1)
        return (rows.dropFirst(page * perPage).prefix(perPage), page, pages)
    }
}

extension ContestEvaluation {
    /// A raffle's standings: tickets so far, each member's progress per rule as the detail.
    public func standings(isFinal: Bool) -> Standings {
        let entries = members.filter { $0.exclusion == nil }.map { member in
            Standings.Entry(accountID: member.accountID, name: member.name, score: Int64(member.entries),
                            detail: member.progress.map { "\($0.rule.position). \($0.standing)" }.joined(separator: "; "),
                            measuredAt: member.measuredAt)
        }
        let excluded = members.compactMap { member in
            member.exclusion.map { Standings.Excluded(accountID: member.accountID, name: member.name, reason: $0) }
        }
        return Standings(unit: .tickets, entries: entries, excluded: excluded, isFinal: isFinal)
    }
}
