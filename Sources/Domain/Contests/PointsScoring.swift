import Foundation

/// How ranked and team contests score (docs/draw-scheme.md §8.2). A points rule reuses the rule's fields:
/// `threshold` is the **unit** and `weight` the **points per unit**, so "1 point per 10,000 Slayer xp" is a
/// `skill_xp` rule on Slayer with threshold 10,000 and weight 1.
///
/// Integer arithmetic only. Per rule: `points = ⌊gained / unit⌋ × points_per_unit` (the remainder of each rule is
/// dropped, rule by rule, before anything is added), and a member's score is the sum over the rules. `gained` is
/// the rule's amount over the same boundary snapshots raffles judge: the **sum** over its targets (for `skill_xp`
/// too, where a raffle takes the best target), never negative (a rollback counts as no gain) and nothing for a
/// row that appeared during the contest. A team's score is the sum of its members' scores.
public enum PointsScoring {
    /// ⌊gained / unit⌋ × pointsPerUnit; 0 for no gain. Saturates at Int64.max rather than wrapping.
    public static func points(gained: Int64, unit: Int64, pointsPerUnit: Int) -> Int64 {
        guard gained > 0, unit > 0, pointsPerUnit > 0 else { return 0 }
        let (product, overflow) = (gained / unit).multipliedReportingOverflow(by: Int64(pointsPerUnit))
        return overflow ? .max : product
    }

    /// Adds scores without wrapping.
    public static func sum(_ values: some Sequence<Int64>) -> Int64 {
        values.reduce(0) { total, value in
            let (result, overflow) = total.addingReportingOverflow(value)
            return overflow ? .max : result
        }
    }

    /// The amount a points rule counts: the sum of its targets' gains.
    public static func gained(_ progress: RuleProgress) -> Int64 {
        progress.rule.kind == .skillXP ? sum(progress.proof.deltas.map(\.gained)) : progress.proof.value
    }

    /// One member's points per rule and score (an excluded member scores nothing and is not ranked).
    public static func score(_ member: MemberEvaluation) -> MemberScore {
        let rules = member.progress.map { progress in
            let gained = gained(progress)
            var proof = progress.proof
            proof.value = gained
            return RulePoints(rule: progress.rule, gained: gained,
                              points: points(gained: gained, unit: progress.rule.threshold, pointsPerUnit: progress.rule.weight), proof: proof)
        }
        var score = MemberScore(accountID: member.accountID, name: member.name, exclusion: member.exclusion, rules: rules,
                                notes: member.notes)
        score.measuredAt = member.measuredAt
        return score
    }
}

/// One points rule applied to one member.
public struct RulePoints: Sendable, Hashable {
    public var rule: ContestRule
    /// The amount counted (sum over the rule's targets, never negative).
    public var gained: Int64
    /// ⌊gained / unit⌋ × points per unit.
    public var points: Int64
    /// The snapshots and deltas behind it (`value` is `gained`, `threshold` the unit).
    public var proof: EntryProof

    public init(rule: ContestRule, gained: Int64, points: Int64, proof: EntryProof) {
        self.rule = rule
        self.gained = gained
        self.points = points
        self.proof = proof
    }

    /// "12,345 Slayer xp → 1 point".
    public var explanation: String {
        "\(ContestNumbers.format(gained)) → \(ContestNumbers.format(points)) \(points == 1 ? "point" : "points")"
    }
}

/// A member's score in a ranked or team contest.
public struct MemberScore: Sendable, Hashable {
    public var accountID: Int64
    public var name: String
    /// nil when the member takes part; otherwise why not (no baseline, left the clan).
    public var exclusion: ExclusionReason?
    public var rules: [RulePoints]
    public var notes: [String]
    /// When the snapshot the score is measured to was taken.
    var measuredAt: Date?

    public init(accountID: Int64, name: String, exclusion: ExclusionReason?, rules: [RulePoints], notes: [String]) {
        self.accountID = accountID
        self.name = name
        self.exclusion = exclusion
        self.rules = rules
        self.notes = notes
    }

    /// The sum of the rules' points (0 when excluded).
    public var score: Int64 { exclusion == nil ? PointsScoring.sum(rules.map(\.points)) : 0 }
}

/// Who is ranked: a member (ranked) or a team (teams), with the score the ranking file publishes.
public struct Competitor: Sendable, Hashable {
    /// As shown: the RSN or the team's name.
    public var displayName: String
    /// As the ranking file writes it.
    public var name: String
    public var score: Int64
    /// The member itself (ranked) or the team's members that were found in the clan (teams).
    public var members: [MemberScore]
    /// Team members listed at draft time that were not evaluated (not in the clan during the contest).
    public var missing: [String] = []

    public init(displayName: String, name: String, score: Int64, members: [MemberScore], missing: [String] = []) {
        self.displayName = displayName
        self.name = name
        self.score = score
        self.members = members
        self.missing = missing
    }
}

/// The scores of a ranked or team contest at one moment.
public struct PointsStandings: Sendable, Hashable {
    public var kind: ContestKind
    var windowStart: Date
    public var windowEnd: Date
    /// Every competitor (also those with 0 points), highest score first, then by name (ties unresolved: the
    /// committed draw orders them only once the contest is over, §8.3).
    public var competitors: [Competitor]
    /// Members evaluated but excluded, and why.
    public var excluded: [MemberScore]

    public init(kind: ContestKind, windowStart: Date, windowEnd: Date, competitors: [Competitor], excluded: [MemberScore]) {
        self.kind = kind
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.competitors = competitors
        self.excluded = excluded
    }

    /// What the end stores as `contest_entries`: one row per member and rule that gave points, `entryCount` being the
    /// points and the proof the rule's snapshots and deltas.
    public var entries: [ContestEntry] {
        competitors.flatMap(\.members).filter { $0.exclusion == nil }.flatMap { member in
            member.rules.filter { $0.points >= 1 }.map {
                ContestEntry(rulePosition: $0.rule.position, accountID: member.accountID, name: member.name,
                             entryCount: Int(clamping: $0.points), proof: $0.proof)
            }
        }
    }

    /// The competitors the ranking file lists: those with at least one point.
    public var scored: [Competitor] { competitors.filter { $0.score >= 1 } }

    /// Scores members (ranked) or teams (teams) from an evaluation of the contest's rules.
    /// In a team contest only members listed in a team count; a listed RSN matches a member by its normalised form.
    public static func make(kind: ContestKind, teams: [ContestTeam], evaluation: ContestEvaluation) -> PointsStandings {
        let members = evaluation.members.map(PointsScoring.score)
        let excluded = members.filter { $0.exclusion != nil }
        var competitors: [Competitor]
        switch kind {
        case .teams:
            var byName: [String: MemberScore] = [:]
            for member in members { if let name = EntryList.normalise(member.name) { byName[name] = member } }
            competitors = teams.map { team in
                let found = team.members.compactMap { EntryList.normalise($0).flatMap { byName[$0] } }
                let missing = team.members.filter { EntryList.normalise($0).flatMap { byName[$0] } == nil }
                let counted = found.filter { $0.exclusion == nil }
                return Competitor(displayName: team.name, name: team.normalisedName, score: PointsScoring.sum(counted.map(\.score)),
                                  members: found.sorted { ($0.score, $1.name) > ($1.score, $0.name) }, missing: missing)
            }
        case .ranked, .raffle:
            competitors = members.filter { $0.exclusion == nil }.map {
                Competitor(displayName: $0.name, name: EntryList.normalise($0.name) ?? $0.name, score: $0.score, members: [$0])
            }
        }
        competitors.sort { $0.score != $1.score ? $0.score > $1.score : RankingText.byteOrder($0.name, $1.name) }
        return PointsStandings(kind: kind, windowStart: evaluation.windowStart, windowEnd: evaluation.windowEnd,
                               competitors: competitors, excluded: excluded)
    }

    /// The kind-agnostic table `/contest standings` and the scheduled posts show: each member's points (in a team
    /// contest with their team, whose total is the sum), how each rule scored as the detail. Ties share a place here;
    /// the committed draw orders them only in the final result (§8.4).
    public func standings(isFinal: Bool) -> Standings {
        let entries = competitors.flatMap { competitor in
            competitor.members.filter { $0.exclusion == nil }.map { member in
                Standings.Entry(accountID: member.accountID, name: member.name, score: member.score,
                                team: kind == .teams ? competitor.displayName : nil,
                                detail: member.rules.map { "\($0.rule.position). \($0.rule.title): \($0.explanation)" }.joined(separator: "; "),
                                measuredAt: member.measuredAt)
            }
        }
        let excluded = excluded.compactMap { member in
            member.exclusion.map { Standings.Excluded(accountID: member.accountID, name: member.name, reason: $0) }
        }
        return Standings(unit: .points, entries: entries, excluded: excluded, isFinal: isFinal)
    }

    /// The canonical ranking file of the competitors with at least one point (nil when nobody scored).
    public func rankingFile() throws(RankingFileError) -> RankingFile? {
        let scored = scored
        guard !scored.isEmpty else { return nil }
        return try RankingFile.build(scored.map { RankingFile.Line(name: $0.name, score: $0.score) },
                                     maximumNameLength: kind == .teams ? ContestTeam.maximumNameLength : 12)
    }
}
