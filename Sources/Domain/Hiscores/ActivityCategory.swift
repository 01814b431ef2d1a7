/// What kind of row an activity on the hiscores is. Derived from the name the game serves.
public enum ActivityCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case boss
    case clue
    case minigame
    case points
    case other

    /// The category of the activity the hiscores call `name`.
    ///
    /// Clue rows start with "Clue Scrolls"; the known minigames, point tables and the collection log
    /// are listed; anything else is a boss, because nearly every row Jagex has added since kill counts
    /// came to the hiscores is one. A new "... Points" row counts as points and a new "... - Rank" row
    /// as a minigame, so only genuinely new names fall through to boss.
    public init(activityName name: String) {
        // Deltas classify every activity row of every member: look the served names up once.
        if let known = Self.servedNames[name] {
            self = known
        } else {
            self = Self.classify(name)
        }
    }

    /// Every activity name the hiscores serve today, classified once.
    private static let servedNames: [String: ActivityCategory] = Dictionary(
        HiscoresRows.activityNames.map { ($0, classify($0)) }, uniquingKeysWith: { first, _ in first })

    private static func classify(_ name: String) -> ActivityCategory {
        if ClueTier(activityName: name) != nil || name.hasPrefix("Clue Scrolls") {
            return .clue
        } else if let known = Self.known[name] {
            return known
        } else if name.hasSuffix(" Points") {
            return .points
        } else if name.hasSuffix(" - Rank") || name.hasPrefix("Bounty Hunter") {
            return .minigame
        } else {
            return .boss
        }
    }

    private static let known: [String: ActivityCategory] = [
        "Grid Points": .points,
        "League Points": .points,
        "Deadman Points": .points,
        "Bounty Hunter - Hunter": .minigame,
        "Bounty Hunter - Rogue": .minigame,
        "Bounty Hunter (Legacy) - Hunter": .minigame,
        "Bounty Hunter (Legacy) - Rogue": .minigame,
        "LMS - Rank": .minigame,
        "PvP Arena - Rank": .minigame,
        "Soul Wars Zeal": .minigame,
        "Rifts closed": .minigame,
        "Colosseum Glory": .minigame,
        "Collections Logged": .other,
    ]
}

/// The clue scroll tiers, plus the "all" row. `activityName` is the exact row name the game serves.
public enum ClueTier: String, Sendable, Hashable, Codable, CaseIterable {
    case all, beginner, easy, medium, hard, elite, master

    public var activityName: String { "Clue Scrolls (\(rawValue))" }

    /// Parses "Clue Scrolls (hard)" (any case) into `.hard`.
    public init?(activityName name: String) {
        let prefix = "clue scrolls ("
        let lower = name.lowercased()
        guard lower.hasPrefix(prefix), lower.hasSuffix(")") else { return nil }
        let inner = lower.dropFirst(prefix.count).dropLast()
        guard let tier = ClueTier(rawValue: String(inner)) else { return nil }
        self = tier
    }
}

/// The smallest score with which an activity appears on the hiscores. Below it the game serves -1.
///
/// Figures as the trackers use them (Wise Old Man's metric table): bosses 5 (Mimic and TzKal-Zuk 1),
/// clues 1, LMS 500, PvP Arena 2525, Soul Wars 200, Rifts closed 2, Colosseum Glory 300,
/// Collections Logged 500, League Points 100, Bounty Hunter 2.
public enum ActivityRanking {
    static let knownMinimums: [String: Int] = [
        "League Points": 100,
        "Bounty Hunter - Hunter": 2,
        "Bounty Hunter - Rogue": 2,
        "LMS - Rank": 500,
        "PvP Arena - Rank": 2525,
        "Soul Wars Zeal": 200,
        "Rifts closed": 2,
        "Colosseum Glory": 300,
        "Collections Logged": 500,
        "Mimic": 1,
        "TzKal-Zuk": 1,
    ]

    /// The minimum score to be ranked, when it is known for this activity or its category.
    /// Clues are 1 and bosses 5 unless listed otherwise; other rows not listed return nil.
    public static func knownMinimum(for name: String) -> Int? {
        if let known = knownMinimums[name] { return known }
        switch ActivityCategory(activityName: name) {
        case .clue: return 1
        case .boss: return 5
        case .minigame, .points, .other: return nil
        }
    }

    /// The minimum used when a delta starts unranked: the known one, else 1 (nothing is known, so the
    /// unranked start is taken as 0, the rule trackers use for rows without a published minimum).
    static func assumedMinimum(for name: String) -> Int { knownMinimum(for: name) ?? 1 }
}
