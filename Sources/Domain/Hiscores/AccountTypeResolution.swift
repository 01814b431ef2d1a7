import Foundation

/// What one board said about an account's total xp when asked.
public enum BoardPresence: Sendable, Hashable {
    /// The player is not on that board (HTTP 404).
    case absent
    /// The Overall xp served there; -1 or 0 when the board lists the player without ranked total xp.
    case overallXP(Int64)

    /// The xp, when the board ranks the player with some xp.
    public var xp: Int64? {
        if case .overallXP(let xp) = self, xp > 0 { return xp }
        return nil
    }

    public init(_ record: HiscoresRecord?) {
        guard let record else { self = .absent; return }
        self = .overallXP(record.overall?.xp ?? -1)
    }
}

/// Resolves `AccountType` (`resolved_mode`) by comparing boards the way the trackers do
/// (Wise Old Man's player type check):
/// - not on the regular board: low-level ironmen appear on the ironman board before the regular one,
///   so look there; not on either → not on the hiscores;
/// - on the ironman board with xp ≥ the regular board's (otherwise regular: never an ironman, or de-ironed);
/// - hardcore if the hardcore board's xp ≥ the ironman board's (a dead hardcore's board stops growing);
/// - else ultimate if the ultimate board's xp ≥ the ironman board's (a de-ulted account stops there);
/// - else ironman.
///
/// It is a pure step function: given what has been fetched so far it says which board to fetch next,
/// or the answer. The hiscores client drives it, fetching only the boards it needs.
public enum AccountTypeResolution: Sendable, Hashable {
    case fetch(HiscoresBoard)
    case resolved(AccountType)
    /// On neither the regular nor the ironman board.
    case notOnHiscores

    public static func step(_ known: [HiscoresBoard: BoardPresence]) -> AccountTypeResolution {
        guard let regular = known[.regular] else { return .fetch(.regular) }
        guard let ironman = known[.ironman] else { return .fetch(.ironman) }
        guard let ironXP = ironman.xp else {
            return regular == .absent && ironman == .absent ? .notOnHiscores : .resolved(.regular)
        }
        if let regularXP = regular.xp, ironXP < regularXP { return .resolved(.regular) }
        guard let hardcore = known[.hardcore] else { return .fetch(.hardcore) }
        if let hardcoreXP = hardcore.xp, hardcoreXP >= ironXP { return .resolved(.hardcore) }
        guard let ultimate = known[.ultimate] else { return .fetch(.ultimate) }
        if let ultimateXP = ultimate.xp, ultimateXP >= ironXP { return .resolved(.ultimate) }
        return .resolved(.ironman)
    }

    /// Resolves from records already at hand (nil = not on that board). Boards the decision needs but
    /// that are missing from `records` count as absent.
    public static func resolve(_ records: [HiscoresBoard: HiscoresRecord?]) -> AccountType? {
        var known: [HiscoresBoard: BoardPresence] = [:]
        while true {
            switch step(known) {
            case .fetch(let board): known[board] = BoardPresence(records[board] ?? nil)
            case .resolved(let type): return type
            case .notOnHiscores: return nil
            }
        }
    }
}

/// A change of account type worth telling the clan about.
public enum AccountTypeChange: String, Sendable, Hashable, Codable {
    /// Hardcore → ironman: the hardcore status was lost.
    case hardcoreDied
    /// Any ironman type → regular.
    case leftIronman
    /// Ultimate → ironman.
    case leftUltimate
    /// Anything else (e.g. a first resolution that differs from what was stored by hand).
    case other

    public static func between(_ old: AccountType, _ new: AccountType) -> AccountTypeChange? {
        guard old != new else { return nil }
        switch (old, new) {
        case (.hardcore, .ironman): return .hardcoreDied
        case (.hardcore, .regular), (.ironman, .regular), (.ultimate, .regular): return .leftIronman
        case (.ultimate, .ironman): return .leftUltimate
        default: return .other
        }
    }
}

/// When a resolved account type must be checked again.
public enum AccountTypeRecheck {
    /// Trackers re-check every 7 days.
    public static let interval: TimeInterval = 7 * 24 * 3600

    /// True when the type was never checked or was checked at least `interval` ago.
    public static func isDue(lastChecked: Date?, now: Date, interval: TimeInterval = Self.interval) -> Bool {
        guard let lastChecked else { return true }
        return now.timeIntervalSince(lastChecked) >= interval
    }

    /// A sign the type changed, seen in two figures fetched together: an ironman type's own board
    /// lagging behind the regular board means it stopped counting there (a hardcore died, an ultimate
    /// banked, an ironman left the mode). Regular accounts never show this sign; they are re-checked
    /// on the interval.
    static func typeBoardLags(resolved: AccountType, regularXP: Int64, typeBoardXP: Int64?) -> Bool {
        guard resolved != .regular, regularXP > 0 else { return false }
        guard let typeBoardXP, typeBoardXP > 0 else { return true }
        return typeBoardXP < regularXP
    }

    /// Due on the interval, or now when the type board lags.
    public static func shouldRecheck(
        resolved: AccountType?, lastChecked: Date?, now: Date,
        regularXP: Int64? = nil, typeBoardXP: Int64? = nil
    ) -> Bool {
        guard let resolved else { return true }
        if isDue(lastChecked: lastChecked, now: now) { return true }
        if let regularXP { return typeBoardLags(resolved: resolved, regularXP: regularXP, typeBoardXP: typeBoardXP) }
        return false
    }
}
