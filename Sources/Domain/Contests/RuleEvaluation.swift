import Foundation

/// A clan member as the evaluation sees them: their snapshots (any order; the evaluator picks) and,
/// if they left the clan, when.
public struct ContestMember: Sendable, Hashable {
    public var accountID: Int64
    public var name: String
    public var snapshots: [PlayerSnapshot]
    public var leftAt: Date?

    public init(accountID: Int64, name: String, snapshots: [PlayerSnapshot], leftAt: Date? = nil) {
        self.accountID = accountID
        self.name = name
        self.snapshots = snapshots
        self.leftAt = leftAt
    }
}

/// One hiscores value a rule was judged on.
public struct JudgedValue: Sendable, Hashable, Codable {
    /// The skill or activity row ("Slayer", "Vorkath", "Clue Scrolls (hard)"); for level rules the skill.
    public var name: String
    /// As served at the start and end (-1 unranked); levels for level rules.
    public var start: Int64
    public var end: Int64
    /// What counted (never negative; 0 for a rollback).
    public var gained: Int64
    /// How the value moved; nil when neither snapshot has the row.
    public var change: ChangeKind?
}

/// What `contest_entries.proof` stores: the two snapshots and the deltas the rule was judged on.
public struct EntryProof: Sendable, Hashable, Codable {
    public var startSnapshotID: Int64
    public var endSnapshotID: Int64
    public var rulePosition: Int
    public var threshold: Int64
    /// The judged amount: the best target for skill_xp, the sum otherwise.
    public var value: Int64
    public var deltas: [JudgedValue]

    private enum CodingKeys: String, CodingKey {
        case startSnapshotID = "start_snapshot_id", endSnapshotID = "end_snapshot_id", rulePosition = "rule_position", threshold, value, deltas
    }
}

/// How far a member is with one rule.
public struct RuleProgress: Sendable, Hashable {
    public var rule: ContestRule
    public var proof: EntryProof
    var satisfied: Bool { proof.value >= rule.threshold }
    /// 0 once satisfied.
    public var remaining: Int64 { max(0, rule.threshold - proof.value) }
    /// Entries this rule gives: its weight when satisfied.
    public var entries: Int { satisfied ? rule.weight : 0 }

    /// "needs 120,000 more Slayer xp" or "done: 2 entries".
    public var standing: String {
        if satisfied { return "done: \(entries) \(entries == 1 ? "entry" : "entries")" }
        let amount = ContestNumbers.format(remaining)
        switch rule.kind {
        case .skillXP:
            let best = proof.deltas.max { $0.gained < $1.gained }?.name ?? rule.targets.first ?? "skill"
            return "needs \(amount) more \(best) xp"
        case .skillLevels: return "needs \(amount) more \(remaining == 1 ? "level" : "levels")" + (rule.targets.isEmpty ? "" : " in \(rule.targets.joined(separator: ", "))")
        case .totalXP: return "needs \(amount) more xp"
        case .bossKC: return "needs \(amount) more \(remaining == 1 ? "kill" : "kills") of \(rule.targets.joined(separator: " or "))"
        case .clueCount: return "needs \(amount) more \(rule.targets.isEmpty ? "" : rule.targets.joined(separator: " or ") + " ")\(remaining == 1 ? "clue" : "clues")"
        }
    }
}

/// Why a member takes no part.
public enum ExclusionReason: Sendable, Hashable, CustomStringConvertible {
    /// No snapshot at or before the start: their gains cannot be measured.
    case noBaseline(firstSnapshotAt: Date?)
    /// They left the clan before the end of the window.
    case leftClan(at: Date)

    public var description: String {
        switch self {
        case .noBaseline(let first?):
            "no snapshot at or before the start (the first is from \(ContestText.iso8601(first))), so gains cannot be measured"
        case .noBaseline(nil): "no snapshot at all, so gains cannot be measured"
        case .leftClan(let date): "left the clan \(ContestText.iso8601(date))"
        }
    }
}

/// One member's result.
public struct MemberEvaluation: Sendable, Hashable {
    public var accountID: Int64
    public var name: String
    /// nil when excluded.
    public var exclusion: ExclusionReason?
    public var progress: [RuleProgress]
    /// Things worth saying that do not exclude: no snapshot since the start, rollbacks seen.
    public var notes: [String]
    /// When the snapshot the member is measured to (the end of their window) was taken; nil when excluded.
    var measuredAt: Date? = nil

    public var entries: Int { progress.reduce(0) { $0 + $1.entries } }
}

/// An entry: one satisfied rule of one member (a `contest_entries` row).
public struct ContestEntry: Sendable, Hashable {
    public var rulePosition: Int
    public var accountID: Int64
    public var name: String
    /// The rule's weight.
    public var entryCount: Int
    public var proof: EntryProof
}

/// The evaluation of every member against every rule at one moment.
public struct ContestEvaluation: Sendable, Hashable {
    /// The window evaluated: start to min(as-of, end).
    var windowStart: Date
    public var windowEnd: Date
    public var members: [MemberEvaluation]

    public var entries: [ContestEntry] {
        members.flatMap { member in
            member.progress.filter(\.satisfied).map {
                ContestEntry(rulePosition: $0.rule.position, accountID: member.accountID, name: member.name, entryCount: $0.rule.weight, proof: $0.proof)
            }
        }
    }

    public var excluded: [MemberEvaluation] { members.filter { $0.exclusion != nil } }

    /// The canonical entry list for the end of the contest, or nil when nobody qualified
    /// (the contest then ends with `EntriesCommitment.none` and is never drawn).
    public func entryList() throws(EntryListError) -> EntryList? {
        let entrants = entrants
        return entrants.isEmpty ? nil : try EntryList.build(entrants)
    }

    /// The input of `EntryList.build`: each account's entries summed into tickets.
    var entrants: [EntryList.Entrant] {
        members.filter { $0.exclusion == nil && $0.entries > 0 }.map { EntryList.Entrant(accountID: $0.accountID, name: $0.name, tickets: $0.entries) }
    }
}

/// Judges rules against snapshots. Per member: the last snapshot at or before the start is the baseline,
/// the last at or before the end of the window is the end; the gains are `SnapshotDelta`'s
/// (unranked starts estimated as the trackers do, rollbacks count as no gain).
public enum RuleEvaluator {
    public static func evaluate(rules: [ContestRule], startAt: Date, endAt: Date, asOf: Date? = nil, members: [ContestMember]) -> ContestEvaluation {
        let windowEnd = min(asOf ?? endAt, endAt)
        let results = members.map { evaluate(rules: rules, startAt: startAt, windowEnd: windowEnd, member: $0) }
        return ContestEvaluation(windowStart: startAt, windowEnd: windowEnd, members: results)
    }

    static func evaluate(rules: [ContestRule], startAt: Date, windowEnd: Date, member: ContestMember) -> MemberEvaluation {
        var result = MemberEvaluation(accountID: member.accountID, name: member.name, exclusion: nil, progress: [], notes: [])
        if let left = member.leftAt, left <= windowEnd {
            result.exclusion = .leftClan(at: left)
            return result
        }
        let ordered = member.snapshots.filter { !$0.record.skills.isEmpty }.sorted { ($0.fetchedAt, $0.id) < ($1.fetchedAt, $1.id) }
        guard let start = ordered.last(where: { $0.fetchedAt <= startAt }) else {
            result.exclusion = .noBaseline(firstSnapshotAt: ordered.first?.fetchedAt)
            return result
        }
        let end = ordered.last(where: { $0.fetchedAt <= windowEnd }) ?? start
        if end.id == start.id { result.notes.append("no snapshot since the start yet") }
        result.measuredAt = end.fetchedAt
        let delta = SnapshotDelta(from: start, to: end)
        if delta.hasRollback { result.notes.append("hiscores went down for \(delta.rollbacks.joined(separator: ", ")); those count as no gain") }
        result.progress = rules.sorted { $0.position < $1.position }.map { rule in
            let (value, judged) = judge(rule, delta)
            return RuleProgress(rule: rule, proof: EntryProof(startSnapshotID: start.id, endSnapshotID: end.id, rulePosition: rule.position, threshold: rule.threshold, value: value, deltas: judged))
        }
        return result
    }

    /// The judged amount and the values behind it.
    static func judge(_ rule: ContestRule, _ delta: SnapshotDelta) -> (Int64, [JudgedValue]) {
        switch rule.kind {
        case .skillXP:
            let values = rule.targets.map { name in skillXP(name, delta.skill(named: name)) }
            return (values.map(\.gained).max() ?? 0, values)
        case .skillLevels:
            if rule.targets.isEmpty {
                let overall = skillLevels("Overall", delta.overall)
                return (overall.gained, [overall])
            }
            let values = rule.targets.map { name in skillLevels(name, delta.skill(named: name)) }
            return (values.reduce(0) { $0 + $1.gained }, values)
        case .totalXP:
            let overall = skillXP("Overall", delta.overall)
            return (overall.gained, [overall])
        case .bossKC:
            let values = rule.targets.map { name in activity(name, delta.activity(named: name)) }
            return (values.reduce(0) { $0 + $1.gained }, values)
        case .clueCount:
            let tiers = rule.targets.isEmpty ? [ClueTier.all] : rule.targets.compactMap { ClueTier(rawValue: $0) }
            let values = tiers.map { activity($0.activityName, delta.activity(named: $0.activityName)) }
            return (values.reduce(0) { $0 + $1.gained }, values)
        }
    }

    private static func skillXP(_ name: String, _ skill: SkillDelta?) -> JudgedValue {
        guard let skill else { return JudgedValue(name: name, start: -1, end: -1, gained: 0, change: nil) }
        return JudgedValue(name: skill.name, start: skill.xp.start, end: skill.xp.end, gained: skill.xp.gained, change: skill.xp.kind)
    }

    private static func skillLevels(_ name: String, _ skill: SkillDelta?) -> JudgedValue {
        guard let skill else { return JudgedValue(name: name, start: -1, end: -1, gained: 0, change: nil) }
        return JudgedValue(name: skill.name, start: Int64(skill.startLevel), end: Int64(skill.endLevel), gained: Int64(skill.levelsGained), change: skill.xp.kind)
    }

    private static func activity(_ name: String, _ activity: ActivityDelta?) -> JudgedValue {
        guard let activity else { return JudgedValue(name: name, start: -1, end: -1, gained: 0, change: nil) }
        return JudgedValue(name: activity.name, start: activity.score.start, end: activity.score.end, gained: activity.score.gained, change: activity.score.kind)
    }
}
