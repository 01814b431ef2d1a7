import Foundation

/// Whether a series still makes editions. Paused makes none until resumed; stopped is for good (its past
/// editions stay as they are).
public enum ContestSeriesStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running, paused, stopped
}

/// A recurring contest (`/contest recur`): a template the bot turns into one contest per slot by itself.
///
/// The slots: slot k (0, 1, 2, …) starts `k × cadenceDays` days after the first start **on the clan's wall clock**
/// (so "Monday 18:00" stays Monday 18:00 across daylight saving time) and lasts `durationDays` days. Each edition
/// (1, 2, 3, … in the order they are made) is a contest of the template's kind with one rule on the next metric of
/// the rotation: edition n uses `metrics[(n − 1) mod count]`. A paused series skips the slots that pass meanwhile
/// and the rotation goes on where it stopped.
public struct ContestSeries: Sendable, Hashable, Codable {
    public var id: Int64
    public var clanID: Int64
    /// 1–60 characters; edition names are "<name> #n: <metric>".
    public var name: String
    public var kind: ContestKind
    /// The rule every edition gets, on its metric.
    public var ruleKind: ContestRule.Kind
    /// The rotation: skill, boss or clue tier names (empty only for total xp).
    public var metrics: [String]
    /// Raffle: the amount to gain for the entries (`weight`); ranked and teams: the unit that gives `weight` points.
    public var threshold: Int64
    public var weight: Int
    public var winnersCount: Int
    public var prize: String?
    public var randomness: ContestRandomnessChoice
    /// Teams series: how many balanced teams each edition is split into (`TeamBalancer`).
    public var teamCount: Int?
    /// The first edition's start as a wall-clock second of the clan's zone (seconds since 1970-01-01 00:00 local).
    public var firstStartLocal: Int64
    public var cadenceDays: Int
    public var durationDays: Int
    public var status: ContestSeriesStatus
    public var createdBy: String?
    public var createdAt: Date

    public static let maximumNameLength = 60
    public static let maximumMetrics = 25

    public init(id: Int64, clanID: Int64, name: String, kind: ContestKind, ruleKind: ContestRule.Kind, metrics: [String],
                threshold: Int64, weight: Int, winnersCount: Int, prize: String?, randomness: ContestRandomnessChoice, teamCount: Int?,
                firstStartLocal: Int64, cadenceDays: Int, durationDays: Int, status: ContestSeriesStatus = .running,
                createdBy: String? = nil, createdAt: Date) throws(ContestSeriesError) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maximumNameLength).contains(name.count) else { throw .invalid("a series needs a name of 1–\(Self.maximumNameLength) characters") }
        guard (1...28).contains(cadenceDays) else { throw .invalid("a series repeats every 1–4 weeks") }
        guard (1...cadenceDays).contains(durationDays) else {
            throw .invalid("an edition lasts 1–\(cadenceDays) days, so it ends before the next one starts (not \(durationDays))")
        }
        guard metrics.count <= Self.maximumMetrics else { throw .invalid("at most \(Self.maximumMetrics) metrics rotate") }
        guard (1...10).contains(winnersCount) else { throw .invalid("an edition has 1–10 winners, not \(winnersCount)") }
        if kind == .teams {
            guard let teamCount, (2...TeamBalancer.maximumTeams).contains(teamCount) else {
                throw .invalid("a teams series needs 2–\(TeamBalancer.maximumTeams) teams (`teams:`), filled automatically for each edition")
            }
        } else if teamCount != nil {
            throw .invalid("only a teams series has teams")
        }
        self.id = id
        self.clanID = clanID
        self.name = name
        self.kind = kind
        self.ruleKind = ruleKind
        self.metrics = metrics
        self.threshold = threshold
        self.weight = weight
        self.winnersCount = winnersCount
        self.prize = prize
        self.randomness = randomness
        self.teamCount = teamCount
        self.firstStartLocal = firstStartLocal
        self.cadenceDays = cadenceDays
        self.durationDays = durationDays
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        // Every metric must make a valid rule, so an edition never fails on its template.
        for index in 0..<max(1, metrics.count) { _ = try rule(forEdition: index + 1) }
    }

    /// The wall-clock second of `instant` in `zone` (what `firstStartLocal` stores).
    public static func localSecond(_ instant: Date, zone: TimeZone) -> Int64 {
        LocalClock(timeZone: zone).localSecond(at: instant)
    }

    /// When slot `k` starts, read in `zone`.
    public func start(ofSlot slot: Int, zone: TimeZone) -> Date {
        LocalClock(timeZone: zone).instant(localSecond: firstStartLocal + Int64(slot) * Int64(cadenceDays) * 86_400)
    }

    /// When slot `k` ends: `durationDays` later on the wall clock.
    public func end(ofSlot slot: Int, zone: TimeZone) -> Date {
        LocalClock(timeZone: zone).instant(localSecond: firstStartLocal + (Int64(slot) * Int64(cadenceDays) + Int64(durationDays)) * 86_400)
    }

    /// The first slot that has not ended at `now` (the running one, or the next).
    public func currentSlot(at now: Date, zone: TimeZone) -> Int {
        let elapsed = LocalClock(timeZone: zone).localSecond(at: now) - firstStartLocal
        var slot = max(0, Int(LocalClock.floorDiv(elapsed, Int64(cadenceDays) * 86_400)) - 1)
        while end(ofSlot: slot, zone: zone) <= now { slot += 1 }
        return slot
    }

    /// The metric edition `n` (1, 2, …) is about; nil for total xp, which has none.
    public func metric(forEdition edition: Int) -> String? {
        metrics.isEmpty ? nil : metrics[(max(1, edition) - 1) % metrics.count]
    }

    /// "Skill of the Week #3: Fishing".
    public func contestName(forEdition edition: Int) -> String {
        "\(name) #\(edition)" + (metric(forEdition: edition).map { ": \($0)" } ?? "")
    }

    /// The one rule of edition `n`.
    public func rule(forEdition edition: Int) throws(ContestSeriesError) -> ContestRule {
        let targets = metric(forEdition: edition).map { [$0] } ?? []
        let title = targets.first.map { kind.scoresPoints ? $0 : "\(ContestNumbers.format(threshold)) \($0)" } ?? (kind.scoresPoints ? "Total xp" : "\(ContestNumbers.format(threshold)) total xp")
        do {
            return try ContestRule(position: 1, kind: ruleKind, targets: targets, threshold: threshold, weight: weight, title: title)
        } catch {
            throw .rule(error)
        }
    }
}

/// Why a series template was refused.
public enum ContestSeriesError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    case rule(ContestRuleError)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .rule(let error): "the series' rule is not valid: \(error)"
        }
    }
}
