import Cryptography
import Domain
import Foundation
import Storage

/// What `/contest recur` asks for: a series' template and its first start.
public struct ContestSeriesTemplate: Sendable, Hashable {
    public var clanID: Int64
    public var name: String
    public var kind: ContestKind
    public var ruleKind: ContestRule.Kind
    public var metrics: [String]
    public var threshold: Int64
    public var weight: Int
    public var winners: Int
    public var prize: String?
    public var randomness: ContestRandomnessChoice
    public var teamCount: Int?
    /// The first edition's start; its weekday and time of day, on the clan's wall clock, are those of every edition.
    public var firstStart: Date
    public var weeks: Int
    public var durationDays: Int
    public var createdBy: String?

    public init(clanID: Int64, name: String, kind: ContestKind, ruleKind: ContestRule.Kind, metrics: [String], threshold: Int64 = 1,
                weight: Int = 1, winners: Int = 1, prize: String? = nil, randomness: ContestRandomnessChoice = .drand, teamCount: Int? = nil,
                firstStart: Date, weeks: Int = 1, durationDays: Int? = nil, createdBy: String? = nil) {
        self.clanID = clanID
        self.name = name
        self.kind = kind
        self.ruleKind = ruleKind
        self.metrics = metrics
        self.threshold = threshold
        self.weight = weight
        self.winners = winners
        self.prize = prize
        self.randomness = randomness
        self.teamCount = teamCount
        self.firstStart = firstStart
        self.weeks = weeks
        self.durationDays = durationDays ?? 7 * weeks
        self.createdBy = createdBy
    }
}

/// One edition made from a series.
public struct ContestSeriesEdition: Sendable, Hashable {
    public var edition: Int
    public var contest: Contest?
}

/// A series as `/contest series` lists it.
public struct ContestSeriesSummary: Sendable, Hashable {
    public var series: ContestSeries
    public var editions: [ContestSeriesEdition]
    /// The next edition not made yet: its number, metric and start (nil once stopped).
    public var nextEdition: Int
    public var nextMetric: String?
    public var nextStart: Date?
    public var zone: TimeZone
}

/// What one pass of the series loop did about one series.
public enum ContestSeriesOutcome: Sendable {
    case opened(seriesID: Int64, edition: Int, activation: ContestActivation)
    case failed(seriesID: Int64, name: String, slot: Int, reason: String)
    /// An ended edition drawn (or ranked) by the bot once its beacon round was out.
    case drawn(ContestDrawResult)
    case drawFailed(contestID: Int64, name: String, reason: String)
}

extension ContestService {
    /// How long before its start an edition is made and activated: time for the clan's baseline snapshot
    /// (`ContestBoundarySnapshots` starts it up to its lead before the start) and for the clan to see it coming.
    public static let seriesOpenLead: TimeInterval = 3600

    /// Stores a new series, running. Its first edition is made by the contest loop an hour before its start.
    public func createSeries(_ template: ContestSeriesTemplate) async throws -> ContestSeriesSummary {
        let now = clock()
        return try await writing { db in
            guard let clan = try db.clans.find(id: template.clanID) else { throw ServiceError.clanNotFound("#\(template.clanID)") }
            let zone = Self.zone(clan)
            let series: ContestSeries
            do {
                series = try ContestSeries(
                    id: 0, clanID: clan.id, name: template.name, kind: template.kind, ruleKind: template.ruleKind, metrics: template.metrics,
                    threshold: template.threshold, weight: template.weight, winnersCount: template.winners, prize: template.prize,
                    randomness: template.randomness, teamCount: template.teamCount,
                    firstStartLocal: ContestSeries.localSecond(template.firstStart, zone: zone), cadenceDays: 7 * template.weeks,
                    durationDays: template.durationDays, createdBy: template.createdBy, createdAt: now)
            } catch {
                throw ContestServiceError.invalidRequest("\(error)")
            }
            guard series.end(ofSlot: 0, zone: zone) > now else {
                throw ContestServiceError.invalidRequest("the first edition would already be over; start the series at a time to come")
            }
            guard let stored = try db.contestSeries.create(series, now: now) else {
                throw ContestServiceError.invalidRequest("\(clan.name) already has a series called \(series.name); pick another name")
            }
            return try Self.summary(db, series: stored, zone: zone, now: now)
        }
    }

    /// The clan's series with their editions and next start, oldest first.
    public func series(clanID: Int64) async throws -> [ContestSeriesSummary] {
        let now = clock()
        return try await reading { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            return try db.contestSeries.list(clanID: clanID).map { try Self.summary(db, series: $0, zone: Self.zone(clan), now: now) }
        }
    }

    /// Pauses (no edition is made until resumed; the slots that pass are skipped), resumes or stops (for good; past
    /// editions and the one running stay) the clan's series called `name`.
    public func setSeriesStatus(clanID: Int64, name: String, _ status: ContestSeriesStatus) async throws -> ContestSeriesSummary {
        let now = clock()
        return try await writing { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            guard let series = try db.contestSeries.find(clanID: clanID, name: name) else {
                throw ContestServiceError.invalidRequest("\(clan.name) has no series called \(name)")
            }
            guard series.status != .stopped else {
                throw ContestServiceError.invalidRequest("the series \(series.name) was stopped; a stopped series does not start again (create a new one)")
            }
            guard let updated = try db.contestSeries.setStatus(id: series.id, status, now: now) else { throw ContestServiceError.storedData("the series vanished") }
            return try Self.summary(db, series: updated, zone: Self.zone(clan), now: now)
        }
    }

    /// Makes and activates every edition that is due: a running series whose current slot starts within
    /// `seriesOpenLead` and has no edition yet. Each edition is claimed (`contest_series_editions`) in the same
    /// transaction that creates its contest, adds its rule, fills its teams and activates it, so with several
    /// processes (or a pass repeated after a restart) each edition is made, and announced, once.
    public func openDueEditions() async throws -> [ContestSeriesOutcome] {
        let now = clock()
        let lead = Self.seriesOpenLead
        let due: [(ContestSeries, TimeZone, Int)] = try await reading { db in
            try db.contestSeries.list(status: .running).compactMap { series in
                guard let clan = try db.clans.find(id: series.clanID) else { return nil }
                let zone = Self.zone(clan)
                let slot = series.currentSlot(at: now, zone: zone)
                guard now >= series.start(ofSlot: slot, zone: zone).addingTimeInterval(-lead) else { return nil }
                if let last = try db.contestSeries.lastEdition(seriesID: series.id), last.slot >= slot { return nil }
                return (series, zone, slot)
            }
        }
        var outcomes: [ContestSeriesOutcome] = []
        for (series, zone, slot) in due {
            do {
                if let (edition, activation) = try await open(series, zone: zone, slot: slot, now: now) {
                    await events.post(.contest(.activated(activation)))
                    outcomes.append(.opened(seriesID: series.id, edition: edition, activation: activation))
                }
            } catch {
                outcomes.append(.failed(seriesID: series.id, name: series.name, slot: slot, reason: "\(error)"))
            }
        }
        return outcomes
    }

    /// Draws (a raffle) or ranks (ranked, teams) every ended edition with entries once its committed beacon round
    /// is out (at once without a beacon), so each edition's winners are announced without a leader. A draw is a
    /// function of published values and is stored once: a second process drawing the same edition gets the stored
    /// result and announces nothing (`draw`).
    public func drawDueEditions() async throws -> [ContestSeriesOutcome] {
        let now = clock()
        let due = try await reading { db in
            try db.contestSeries.endedEditionContests().compactMap { try db.contests.find(id: $0) }.filter { contest in
                (contest.entries?.ticketCount ?? 0) >= 1 && now >= (contest.commitment?.beaconPublicationTime ?? contest.endAt)
            }
        }
        var outcomes: [ContestSeriesOutcome] = []
        for contest in due {
            do {
                let result = try await draw(contestID: contest.id)
                if !result.alreadyDrawn { outcomes.append(.drawn(result)) }
            } catch {
                outcomes.append(.drawFailed(contestID: contest.id, name: contest.name, reason: "\(error)"))
            }
        }
        return outcomes
    }

    /// When the next edition of any running series is due to be made (for the loop's sleep), or nil.
    public func nextSeriesOpening(after now: Date) async -> Date? {
        let lead = Self.seriesOpenLead
        return try? await reading { db in
            try db.contestSeries.list(status: .running).compactMap { series -> Date? in
                guard let clan = try db.clans.find(id: series.clanID) else { return nil }
                let zone = Self.zone(clan)
                var slot = series.currentSlot(at: now, zone: zone)
                if let last = try db.contestSeries.lastEdition(seriesID: series.id), last.slot >= slot { slot = last.slot + 1 }
                return series.start(ofSlot: slot, zone: zone).addingTimeInterval(-lead)
            }.min()
        }
    }

    /// One edition, made and activated in one transaction; nil when it exists already or the series stopped meanwhile.
    private func open(_ series: ContestSeries, zone: TimeZone, slot: Int, now: Date) async throws -> (Int, ContestActivation)? {
        let secret: [UInt8]
        do {
            secret = try secrets()
        } catch {
            throw ContestServiceError.secureRandomUnavailable("\(error)")
        }
        let margin = configuration.beaconMarginSeconds
        return try await writing { db -> (Int, ContestActivation)? in
            guard let current = try db.contestSeries.find(id: series.id), current.status == .running else { return nil }
            let last = try db.contestSeries.lastEdition(seriesID: series.id)
            if let last, last.slot >= slot { return nil }
            let edition = (last?.edition ?? 0) + 1
            // The claim: a second process's insert for this edition or slot does nothing, and it stops here.
            guard try db.contestSeries.claim(seriesID: series.id, edition: edition, slot: slot, now: now) else { return nil }
            let rule = try current.rule(forEdition: edition)
            var contest = try db.contests.create(
                clanID: current.clanID, name: current.contestName(forEdition: edition),
                description: "Edition \(edition) of the series \(current.name) (every \(Self.cadence(current))).", prize: current.prize,
                startAt: current.start(ofSlot: slot, zone: zone), endAt: current.end(ofSlot: slot, zone: zone), winnersCount: current.winnersCount,
                randomness: current.randomness, kind: current.kind, createdBy: "series #\(current.id)", now: now)
            contest = try db.contests.addRule(rule, to: contest.id, now: now)
            if let count = current.teamCount {
                let ratings = try Self.ratings(db, clanID: current.clanID, rules: contest.rules,
                                               from: now.addingTimeInterval(-Self.balanceLookback), to: now)
                contest = try db.contests.setTeams(try Self.balanced(ratings, names: TeamBalancer.defaultNames(count)), contestID: contest.id, now: now)
            }
            let commitment: DrawCommitment
            do {
                commitment = try DrawCommitment.make(
                    contestID: contest.id, endAt: contest.endAt, secret: secret, rulesDigest: contest.rulesDigest,
                    beacon: contest.randomnessChoice == .drand ? .drandQuicknet(marginSeconds: margin) : .none)
            } catch let error as DrawError {
                throw ContestServiceError.draw(error)
            }
            let active = try db.contests.activate(contestID: contest.id, commitment: commitment, secret: secret, now: now)
            try db.contestSeries.attach(seriesID: series.id, edition: edition, contestID: active.id)
            return (edition, ContestActivation(detail: ContestDetail(contest: active, entries: nil, draw: nil), commitment: commitment))
        }
    }

    static func zone(_ clan: Clan) -> TimeZone { TimeZone(identifier: clan.timeZone) ?? TimeZone(identifier: "UTC") ?? .current }

    static func cadence(_ series: ContestSeries) -> String {
        series.cadenceDays == 7 ? "week" : "\(series.cadenceDays / 7) weeks"
    }

    static func summary(_ db: Database, series: ContestSeries, zone: TimeZone, now: Date) throws -> ContestSeriesSummary {
        let editions = try db.contestSeries.editions(seriesID: series.id).map { edition in
            ContestSeriesEdition(edition: edition.edition, contest: try edition.contestID.flatMap { try db.contests.find(id: $0) })
        }
        let last = try db.contestSeries.lastEdition(seriesID: series.id)
        var slot = series.currentSlot(at: now, zone: zone)
        if let last, last.slot >= slot { slot = last.slot + 1 }
        let next = (last?.edition ?? 0) + 1
        return ContestSeriesSummary(series: series, editions: editions, nextEdition: next, nextMetric: series.metric(forEdition: next),
                                    nextStart: series.status == .stopped ? nil : series.start(ofSlot: slot, zone: zone), zone: zone)
    }
}
