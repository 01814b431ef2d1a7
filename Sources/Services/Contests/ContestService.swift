import Cryptography
import Domain
import Foundation
import Storage
import Transport

/// Contests from draft to draw (docs/draw-scheme.md, `clanbot-draw-v2`; contests activated under v1 stay v1): what the bot's `/contest` commands and the
/// `clanbot contest` subcommands call. Every step is one write transaction; a step at the wrong time is refused with
/// `ContestServiceError.refused` saying what is allowed. Each published step is posted as a `ClanEvent.contest`.
///
/// The service does not take snapshots: the end judges each member on the last snapshot stored at or before the end
/// time. `clanbot run` ends contests as their time comes (`runLoop`); the beacon margin leaves time for an end
/// step that runs late (a restart, or an officer's `/contest end`).
public struct ContestService: Sendable {
    public struct Configuration: Sendable {
        /// Seconds after the end before the committed drand round (time to take final snapshots and end).
        public var beaconMarginSeconds: Int64
        /// How often to ask the relay again while the round does not exist yet.
        public var beaconRetryInterval: Duration
        /// How long one draw waits for the round; further away, the draw is refused with the time to come back.
        public var beaconMaximumWait: Duration
        /// The key every fetched round's BLS signature must verify under (DRAND_PUBLIC_KEY; quicknet's by default).
        public var drandPublicKey: DrandPublicKey

        public init(beaconMarginSeconds: Int64 = 900, beaconRetryInterval: Duration = .seconds(1), beaconMaximumWait: Duration = .seconds(60),
                    drandPublicKey: DrandPublicKey = .quicknet) {
            self.beaconMarginSeconds = beaconMarginSeconds
            self.beaconRetryInterval = beaconRetryInterval
            self.beaconMaximumWait = beaconMaximumWait
            self.drandPublicKey = drandPublicKey
        }
    }

    public let store: Store
    public let configuration: Configuration
    private let beacon: DrandBeaconFetcher?
    let clock: @Sendable () -> Date
    let secrets: @Sendable () throws -> [UInt8]
    let events: ClanEvents

    /// - Parameters:
    ///   - http: the client for the drand relay; nil when the bot has none (contests in mode `drand` then cannot be drawn).
    ///   - drandBase: DRAND_BASE, e.g. https://api.drand.sh.
    ///   - events: told of activation, end, draw and cancellation (for webhooks and channel messages).
    public init(store: Store, http: (any HTTPSending)?, drandBase: String = "https://api.drand.sh",
                configuration: Configuration = Configuration(), clock: @escaping @Sendable () -> Date = { Date() },
                events: ClanEvents = .unobserved) {
        self.store = store
        self.configuration = configuration
        self.beacon = http.map {
            DrandBeaconFetcher(http: $0, baseURL: drandBase, retryInterval: configuration.beaconRetryInterval,
                               maximumWait: configuration.beaconMaximumWait)
        }
        self.clock = clock
        self.secrets = { try SecureRandom.bytes(DrawScheme.secretLength) }
        self.events = events
    }

    // MARK: drafts

    /// A new draft: no rules yet, nothing published.
    public func create(_ draft: ContestDraft) async throws -> ContestDetail {
        let now = clock()
        let contest = try await writing { db in
            guard try db.clans.find(id: draft.clanID) != nil else { throw ServiceError.clanNotFound(id: draft.clanID) }
            return try db.contests.create(clanID: draft.clanID, name: draft.name, description: draft.description, prize: draft.prize,
                                          startAt: draft.startAt, endAt: draft.endAt, winnersCount: draft.winners,
                                          randomness: draft.randomness, kind: draft.kind, createdBy: draft.createdBy, now: now)
        }
        return ContestDetail(contest: contest, entries: nil, draw: nil)
    }

    /// Adds a rule as the next position (draft only). Targets are skill, boss or clue tier names.
    public func addRule(contestID: Int64, kind: ContestRule.Kind, targets: [String] = [], threshold: Int64, weight: Int = 1,
                        title: String) async throws -> ContestDetail {
        let now = clock()
        let contest = try await writing { db in
            let contest = try db.contests.get(id: contestID)
            let rule: ContestRule
            do {
                rule = try ContestRule(position: contest.nextRulePosition, kind: kind, targets: targets, threshold: threshold,
                                       weight: weight, title: title)
            } catch let error as ContestRuleError {
                throw ContestServiceError.invalidRule(error)
            }
            return try db.contests.addRule(rule, to: contestID, now: now)
        }
        return ContestDetail(contest: contest, entries: nil, draw: nil)
    }

    /// Changes a draft's name, description, prize, window, winner count or randomness, and removes the rule at
    /// `removingRule` if given: all in one transaction, so a refused part changes nothing (draft only).
    public func edit(contestID: Int64, _ edit: ContestDraftEdit, removingRule position: Int? = nil) async throws -> ContestDetail {
        let now = clock()
        let contest = try await writing { db in
            var contest = try db.contests.get(id: contestID)
            if !edit.isEmpty { contest = try db.contests.edit(contestID: contestID, edit, now: now) }
            if let position { contest = try db.contests.removeRule(position: position, from: contestID, now: now) }
            return contest
        }
        return ContestDetail(contest: contest, entries: nil, draw: nil)
    }

    /// Replaces a teams contest's teams (draft only). Every RSN must be a member of the clan, and nobody may be in
    /// two teams; the teams are committed with the rules at activation.
    public func setTeams(contestID: Int64, teams: [ContestTeam]) async throws -> ContestDetail {
        let now = clock()
        let contest = try await writing { db in
            let contest = try db.contests.get(id: contestID)
            let members = Set(try db.members.listAll(clanID: contest.clanID).filter(\.isActive)
                .compactMap { EntryList.normalise($0.account.displayName) })
            for team in teams {
                let unknown = team.members.filter { EntryList.normalise($0).map { !members.contains($0) } ?? true }
                guard unknown.isEmpty else {
                    throw ContestServiceError.invalidRequest(
                        "\(unknown.joined(separator: ", ")) in team \(team.name) \(unknown.count == 1 ? "is" : "are") not in the clan; add them to the clan first or fix the RSN")
                }
            }
            return try db.contests.setTeams(teams, contestID: contestID, now: now)
        }
        return ContestDetail(contest: contest, entries: nil, draw: nil)
    }

    /// Removes the rule at `position` (draft only).
    public func removeRule(contestID: Int64, position: Int) async throws -> ContestDetail {
        let now = clock()
        let contest = try await writing { db in try db.contests.removeRule(position: position, from: contestID, now: now) }
        return ContestDetail(contest: contest, entries: nil, draw: nil)
    }

    // MARK: lifecycle

    /// Locks the rules and publishes the commitment: a fresh 32-byte secret from OpenSSL, SHA-256 of it, the rules
    /// digest and the drand round (the first after end + margin), or no beacon with the warning in mode `none`.
    public func activate(contestID: Int64) async throws -> ContestActivation {
        let secret: [UInt8]
        do {
            secret = try secrets()
        } catch {
            throw ContestServiceError.secureRandomUnavailable("\(error)")
        }
        let now = clock()
        let margin = configuration.beaconMarginSeconds
        let (contest, commitment) = try await writing { db -> (Contest, DrawCommitment) in
            let contest = try db.contests.get(id: contestID)
            // Made for whatever state the contest is in; the repository asks the lifecycle before storing anything.
            let commitment: DrawCommitment
            do {
                commitment = try DrawCommitment.make(
                    contestID: contestID, endAt: contest.endAt, secret: secret, rulesDigest: contest.rulesDigest,
                    beacon: contest.randomnessChoice == .drand ? .drandQuicknet(marginSeconds: margin) : .none)
            } catch let error as DrawError {
                throw ContestServiceError.draw(error)
            }
            return (try db.contests.activate(contestID: contestID, commitment: commitment, secret: secret, now: now), commitment)
        }
        let activation = ContestActivation(detail: ContestDetail(contest: contest, entries: nil, draw: nil), commitment: commitment)
        await events.post(.contest(.activated(activation)))
        return activation
    }

    /// The standings: while the contest runs, each member's progress from the snapshots stored up to `at` (now by
    /// default); once it ended, the final ranking at its end. A draft or cancelled contest has none.
    public func standings(contestID: Int64, at time: Date? = nil) async throws -> ContestStandings {
        let now = time ?? clock()
        return try await reading { db in
            let contest = try db.contests.get(id: contestID)
            let isFinal: Bool
            switch contest.status {
            case .active: isFinal = now >= contest.endAt
            case .ended, .drawn: isFinal = true
            case .draft, .cancelled:
                throw ContestServiceError.refused(.wrongStatus(action: "show the standings of", status: contest.status, allowed: [.active, .ended, .drawn]))
            }
            let windowEnd = isFinal ? contest.endAt : min(now, contest.endAt)
            let members = try Self.members(db, contest: contest, windowEnd: windowEnd)
            let evaluation = RuleEvaluator.evaluate(rules: contest.rules, startAt: contest.startAt, endAt: contest.endAt, asOf: windowEnd, members: members)
            let table = contest.kind.scoresPoints
                ? PointsStandings.make(kind: contest.kind, teams: contest.teams, evaluation: evaluation).standings(isFinal: isFinal)
                : evaluation.standings(isFinal: isFinal)
            return ContestStandings(contest: contest, asOf: now, evaluation: evaluation, table: table)
        }
    }

    /// Locks the entries: evaluates every member from their last snapshot at or before the start to their last at or
    /// before the end, stores each satisfied rule as an entry with its proof, and publishes the entry file's SHA-256
    /// and N. Members without a baseline (or who left) are excluded and listed. Nobody qualified: ended without entries.
    public func end(contestID: Int64) async throws -> ContestEndResult {
        let now = clock()
        let result = try await writing { db -> ContestEndResult in
            let contest = try db.contests.get(id: contestID)
            // Refuse a wrong step before evaluating anything.
            _ = try ContestLifecycleCheck.apply(.end(.none, at: now), to: contest)
            let members = try Self.members(db, contest: contest, windowEnd: contest.endAt)
            let evaluation = RuleEvaluator.evaluate(rules: contest.rules, startAt: contest.startAt, endAt: contest.endAt, members: members)
            if contest.kind.scoresPoints { return try Self.endRanking(db, contest: contest, evaluation: evaluation, now: now) }
            let list: EntryList?
            do {
                list = try evaluation.entryList()
            } catch let error as EntryListError {
                throw ContestServiceError.entries(error)
            }
            let file = list?.bytes ?? []
            let commitment = list.map { EntriesCommitment($0) } ?? .none
            let exclusions = evaluation.excluded.map {
                ContestExclusion(accountID: $0.accountID, name: $0.name, reason: $0.exclusion?.description ?? "excluded")
            }
            let ended = try db.contests.end(contestID: contestID, entries: commitment, entryFile: file, rows: evaluation.entries,
                                            exclusions: exclusions, now: now)
            let detail = try Self.detail(db, contest: ended)
            return ContestEndResult(detail: detail, evaluation: evaluation, entryFile: file)
        }
        await events.post(.contest(.ended(result)))
        return result
    }

    /// Draws the winners (docs/draw-scheme.md §4): fetches the committed drand round (waiting while it does not exist
    /// yet), refuses it unless the round matches, randomness = SHA-256(signature) and the BLS signature verifies, runs `DrawScheme.draw` and stores
    /// the proof. A contest drawn before returns its stored result (`alreadyDrawn`), never a new roll.
    /// When fewer people hold tickets than winners were asked for, each of them wins (`ContestDetail.winnersNote`).
    public func draw(contestID: Int64) async throws -> ContestDrawResult {
        let now = clock()
        let (contest, secret, file) = try await reading { db -> (Contest, [UInt8]?, [UInt8]?) in
            let contest = try db.contests.get(id: contestID)
            return (contest, try db.contests.secret(contestID: contestID), try db.contests.entryFile(contestID: contestID))
        }
        if contest.status == .drawn { return try await stored(contestID: contestID) }
        _ = try ContestLifecycleCheck.apply(.draw(at: now), to: contest)
        if contest.kind.scoresPoints { return try await rank(contest, secret: secret, file: file, now: now) }
        guard let commitment = contest.commitment else { throw ContestServiceError.missingStoredValue(contestID: contestID, what: "commitment") }
        guard let secret else { throw ContestServiceError.missingStoredValue(contestID: contestID, what: "secret") }
        guard let file else { throw ContestServiceError.missingStoredValue(contestID: contestID, what: "entry file") }
        let entries: EntryList
        do {
            entries = try EntryList.parse(bytes: file)
        } catch {
            throw ContestServiceError.entries(error)
        }
        guard EntriesCommitment(entries) == contest.entries else {
            throw ContestServiceError.invalidRequest("the stored entry file does not match the published digest; the contest cannot be drawn fairly and should be cancelled")
        }
        var round: BeaconRound?
        if case .drandQuicknet(let number) = commitment.randomness {
            round = try await fetchBeacon(round: number, now: now)
        }
        let proof: DrawProof
        let lock = DrawLockRecord(activation: commitment, entries: entries, winnersWanted: contest.winnersCount, secret: secret)
        do {
            if let round, lock.secret != nil {
                // v2: exactly what anyone computes from the lock record and round R (docs/draw-scheme.md §7.4).
                proof = try DrawScheme.precompute(lock: lock, beacon: round, entries: entries)
            } else {
                proof = try DrawScheme.draw(secret: secret, commitment: commitment, beacon: round, entries: entries, winners: lock.winnersRequested)
            }
        } catch {
            if case .beacon(let beaconError) = error, let round { throw ContestServiceError.beaconRefused(round: round.round, beaconError) }
            throw ContestServiceError.draw(error)
        }
        let drawnAt = clock()
        do {
            try await writing { db in _ = try db.contests.recordDraw(contestID: contestID, proof: proof, now: drawnAt) }
        } catch ContestServiceError.refused(let refusal) where refusal == .alreadyDrawn {
            // Another draw of the same contest finished first; its result is the same function of the same inputs.
            return try await stored(contestID: contestID)
        }
        let result = ContestDrawResult(detail: try await detail(contestID: contestID), alreadyDrawn: false)
        await events.post(.contest(.drawn(result)))
        return result
    }

    /// Cancels publicly with `reason` (draft, active or ended; never after the draw).
    public func cancel(contestID: Int64, reason: String) async throws -> ContestDetail {
        let now = clock()
        let detail = try await writing { db in
            let cancelled = try db.contests.cancel(contestID: contestID, reason: reason, now: now)
            return try Self.detail(db, contest: cancelled)
        }
        await events.post(.contest(.cancelled(detail)))
        return detail
    }

    // MARK: reading

    /// The contest with its rules, entries summary and draw.
    public func detail(contestID: Int64) async throws -> ContestDetail {
        try await reading { db in try Self.detail(db, contest: try db.contests.get(id: contestID)) }
    }

    /// The clan's contests, newest first.
    public func list(clanID: Int64, status: ContestStatus? = nil) async throws -> [Contest] {
        try await reading { db in try db.contests.list(clanID: clanID, status: status) }
    }

    /// The exact bytes of the entry file (what `sha256sum` checks against the published digest). Empty when the
    /// contest ended without entries; refused before the end.
    public func entriesFile(contestID: Int64) async throws -> [UInt8] {
        try await reading { db in
            let contest = try db.contests.get(id: contestID)
            guard let file = try db.contests.entryFile(contestID: contestID) else {
                throw ContestServiceError.refused(.wrongStatus(action: "download the entries of", status: contest.status, allowed: [.ended, .drawn]))
            }
            return file
        }
    }

    /// Runs `DrawVerifier` on the stored proof and entry file, against the values published at activation and end.
    public func verify(contestID: Int64) async throws -> ContestVerification {
        try await reading { db in
            let contest = try db.contests.get(id: contestID)
            if contest.kind.scoresPoints { return try Self.verifyRanking(db, contest: contest, drandPublicKey: self.configuration.drandPublicKey) }
            guard let draw = try db.contests.draw(contestID: contestID) else {
                throw ContestServiceError.refused(.wrongStatus(action: "verify the draw of", status: contest.status, allowed: [.drawn]))
            }
            let file = try db.contests.entryFile(contestID: contestID)
            let published = PublishedValues(
                contestID: contest.id, commitment: contest.commitment?.commitment, round: contest.commitment?.randomness.storedRound.map { UInt64($0) },
                entriesDigest: contest.entries?.digest, ticketCount: contest.entries?.ticketCount, winners: draw.winners.map(\.ticket))
            let checks = DrawVerifier.verify(proof: draw.proof, entryFile: file, published: published, drandPublicKey: configuration.drandPublicKey)
            return ContestVerification(checks: checks, notes: DrawVerifier.notes(proof: draw.proof, entryFileGiven: file != nil), proof: draw.proof)
        }
    }

    // MARK: internals

    func stored(contestID: Int64) async throws -> ContestDrawResult {
        ContestDrawResult(detail: try await detail(contestID: contestID), alreadyDrawn: true)
    }

    func fetchBeacon(round: UInt64, now: Date) async throws -> BeaconRound {
        guard let beacon else { throw ContestServiceError.noBeaconClient(round: round) }
        let publishedAt = DrandQuicknet.publicationTime(ofRound: round)
        let wait = publishedAt.timeIntervalSince(now)
        if wait > configuration.beaconMaximumWait.timeInterval {
            throw ContestServiceError.beaconNotYetPublished(round: round, publishedAt: publishedAt)
        }
        let fetched = try await beacon.fetch(round: round)
        do {
            try fetched.validate(expectedRound: round, publicKey: configuration.drandPublicKey)
        } catch {
            throw ContestServiceError.beaconRefused(round: round, error)
        }
        return fetched
    }

    static func detail(_ db: Database, contest: Contest) throws -> ContestDetail {
        if contest.kind.scoresPoints { return try rankingDetail(db, contest: contest) }
        var summary: ContestEntriesSummary?
        var lock: DrawLockRecord?
        if let entries = contest.entries {
            let file = try db.contests.entryFile(contestID: contest.id) ?? []
            let holders = file.isEmpty ? [] : ((try? EntryList.parse(bytes: file))?.ticketsByName ?? [])
            summary = ContestEntriesSummary(
                digest: entries.digest, ticketCount: entries.ticketCount,
                holders: holders.map { ContestTicketHolder(name: $0.name, tickets: $0.tickets) },
                excluded: try db.contests.exclusions(contestID: contest.id), entries: try db.contests.entries(contestID: contest.id))
            if let commitment = contest.commitment {
                // Under v2 with a beacon the secret is public from the lock on (docs/draw-scheme.md §7.1).
                let secret = commitment.publishesSecretAtLock ? try db.contests.secret(contestID: contest.id)?.hexString : nil
                lock = DrawLockRecord(activation: commitment, entries: entries, winnersRequested: min(contest.winnersCount, holders.count), secret: secret)
            }
        }
        return ContestDetail(contest: contest, entries: summary, draw: try db.contests.draw(contestID: contest.id), lock: lock)
    }

    /// The members the evaluation judges: everyone who was in the clan at some point of the window, each with their
    /// last snapshot at or before the start, their last at or before `windowEnd`, and their first (for the exclusion message).
    static func members(_ db: Database, contest: Contest, windowEnd: Date) throws -> [ContestMember] {
        try db.members.listAll(clanID: contest.clanID).compactMap { member -> ContestMember? in
            if let left = member.leftAt, left < contest.startAt { return nil }
            let accountID = member.account.id
            var snapshots: [PlayerSnapshot] = []
            if let start = try db.snapshots.latest(accountID: accountID, atOrBefore: contest.startAt) { snapshots.append(start) }
            if let end = try db.snapshots.latest(accountID: accountID, atOrBefore: windowEnd), !snapshots.contains(where: { $0.id == end.id }) {
                snapshots.append(end)
            }
            if snapshots.isEmpty, let first = try db.snapshots.first(accountID: accountID, from: Date(epochMilliseconds: 0), through: .distantFuture) {
                snapshots.append(first)
            }
            return ContestMember(accountID: accountID, name: member.account.displayName, snapshots: snapshots,
                                 leftAt: member.isActive ? nil : member.leftAt)
        }
    }
}

/// The lifecycle check the repository uses, for steps the service refuses before doing any work.
enum ContestLifecycleCheck {
    static func apply(_ event: ContestEvent, to contest: Contest) throws -> Contest {
        do {
            return try contest.applying(event)
        } catch {
            throw ContestServiceError.refused(error)
        }
    }
}
