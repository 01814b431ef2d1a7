import Foundation

/// What the last finished lookup of an account on the hiscores (a batch run's) answered.
public enum HiscoresLookupResult: Sendable, Hashable {
    /// The hiscores listed the account and a snapshot was stored.
    case found
    /// The hiscores answered that no such player is listed (a name change, a ban, or nothing ranked yet).
    case notOnHiscores
    /// The lookup failed without an answer about the account (timeout, hiscores down); `reason` in a few words.
    case failed(reason: String)
}

/// One lookup of an account on the hiscores and when it finished.
public struct HiscoresLookup: Sendable, Hashable {
    public var at: Date
    public var result: HiscoresLookupResult

    public init(at: Date, result: HiscoresLookupResult) {
        self.at = at
        self.result = result
    }
}

/// Whether the hiscores know an account, as far as the stored data tells.
public enum HiscoresStanding: Sendable, Hashable {
    /// Listed when its latest snapshot was taken.
    case listed(at: Date)
    /// The latest answer about the account, newer than its latest snapshot, was "not on the hiscores";
    /// `lastListed` is the latest snapshot's time, if there is one.
    case notListed(at: Date, lastListed: Date?)
    /// No lookup has answered for the account yet (never snapshotted).
    case unknown
}

/// One member's profile, from stored data only: their account, latest snapshot, the last 7 days' gains, their
/// latest achievements and whether the hiscores still list them.
///
/// The hiscores rules of the rest of the code apply: the week is measured like `/gains` (snapshots flagged as a
/// hiscores rollback are never a bound, a skill or boss that appeared in the week starts from its first value);
/// the latest snapshot is shown as the hiscores served it, flagged when it is a rollback.
public struct PlayerProfile: Sendable, Hashable {
    public var member: ClanMember
    /// The account's newest snapshot (rollback-flagged or not); nil when it was never snapshotted.
    public var latest: PlayerSnapshot?
    /// How many snapshots the account has in all.
    public var snapshotCount: Int
    /// The last 7 days, measured like the leaderboards and `/gains`.
    public var week: MemberWindow
    public var weekWindow: TimeWindow
    /// Newest first.
    public var achievements: [StoredAchievement]
    public var achievementTotal: Int
    /// The account's latest finished batch lookup, if any.
    public var lastLookup: HiscoresLookup?

    public init(member: ClanMember, latest: PlayerSnapshot?, snapshotCount: Int, week: MemberWindow, weekWindow: TimeWindow,
                achievements: [StoredAchievement], achievementTotal: Int, lastLookup: HiscoresLookup?) {
        self.member = member
        self.latest = latest
        self.snapshotCount = snapshotCount
        self.week = week
        self.weekWindow = weekWindow
        self.achievements = achievements
        self.achievementTotal = achievementTotal
        self.lastLookup = lastLookup
    }

    public var account: Account { member.account }

    /// Whether the hiscores know the account: a "not on the hiscores" answer counts only when it is newer than
    /// the latest snapshot (a lookup that failed for another reason says nothing either way).
    public var standing: HiscoresStanding {
        let listed = latest?.fetchedAt
        if let lookup = lastLookup, lookup.result == .notOnHiscores, listed.map({ lookup.at > $0 }) ?? true {
            return .notListed(at: lookup.at, lastListed: listed)
        }
        return listed.map { .listed(at: $0) } ?? .unknown
    }

    /// The latest lookup when it failed without an answer and is newer than the latest snapshot.
    public var failedLookup: (at: Date, reason: String)? {
        guard let lookup = lastLookup, case .failed(let reason) = lookup.result else { return nil }
        if let latest, latest.fetchedAt >= lookup.at { return nil }
        return (lookup.at, reason)
    }

    /// The week's change; nil when fewer than two usable snapshots bound it.
    public var weekDelta: SnapshotDelta? { week.delta() }

    /// Every skill but Overall, in the order the hiscores serve them.
    public var skills: [SkillScore] { latest?.record.skills.filter { $0.name != "Overall" } ?? [] }

    /// The ranked bosses with the most kills, most first (ties by name).
    public func topBosses(_ limit: Int) -> [ActivityScore] {
        let bosses = latest?.record.activities.filter { $0.isRanked && ActivityCategory(activityName: $0.name) == .boss } ?? []
        return Array(bosses.sorted { ($0.score, $1.name) > ($1.score, $0.name) }.prefix(limit))
    }

    /// Each ranked clue tier with its count, "all" first.
    public var clues: [(tier: ClueTier, count: Int)] {
        guard let record = latest?.record else { return [] }
        return ClueTier.allCases.compactMap { tier in
            record.activity(named: tier.activityName).flatMap { $0.isRanked ? (tier, $0.score) : nil }
        }
    }

    /// The combat level from the latest snapshot's combat skills.
    public var combatLevel: Int? { latest.flatMap { CombatLevel.of($0.record) } }

    /// Skills and activities new to the hiscores within the week (counted from their first value, no gain).
    public var appearedThisWeek: [String] {
        guard let delta = weekDelta else { return [] }
        return delta.skills.filter { $0.xp.kind == .appeared }.map(\.name)
            + delta.activities.filter { $0.score.kind == .appeared }.map(\.name)
    }
}

extension AccountType {
    /// The type as players say it: "Hardcore ironman".
    public var label: String {
        switch self {
        case .regular: "Regular account"
        case .ironman: "Ironman"
        case .hardcore: "Hardcore ironman"
        case .ultimate: "Ultimate ironman"
        }
    }
}
