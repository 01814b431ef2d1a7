import Cryptography
import Foundation

/// Where a contest is in its life. `cancelled` is reachable from every status before `drawn`.
public enum ContestStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, active, ended, drawn, cancelled
}

/// A contest as the clan sees it; maps onto the `contests` row (plus its `contest_rules`).
/// The draw's secret is not here: it is stored by the service and only revealed in the proof.
public struct Contest: Sendable, Hashable, Codable {
    public var id: Int64
    public var clanID: Int64
    public var name: String
    public var description: String?
    public var prize: String?
    public var status: ContestStatus
    public var startAt: Date
    public var endAt: Date
    public var winnersCount: Int
    public var rules: [ContestRule]
    /// Published at activation (`seed_commitment`, `rules_digest`, `randomness_mode`, `beacon_chain`, `beacon_round`).
    public var commitment: DrawCommitment?
    /// Published at the end (`entries_digest`, `entry_count`); N = 0 when nobody qualified.
    public var entries: EntriesCommitment?
    public var cancelReason: String?
    public var activatedAt: Date?
    public var endedAt: Date?
    public var drawnAt: Date?
    public var cancelledAt: Date?
    /// What the draft asked for (`randomness_mode`); once active, `commitment.randomness` is what counts.
    public var randomnessChoice: ContestRandomnessChoice = .drand
    /// Raffle, ranked or teams: chosen at creation, committed with the rules at activation.
    public var kind: ContestKind = .raffle
    /// The teams of a teams contest (empty otherwise); changed only in draft, committed with the rules.
    public var teams: [ContestTeam] = []

    /// A new draft. The window and winner count are checked here so a bad draft never exists.
    public init(id: Int64, clanID: Int64, name: String, description: String? = nil, prize: String? = nil,
                startAt: Date, endAt: Date, winnersCount: Int = 1, kind: ContestKind = .raffle) throws(ContestTransitionError) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw .invalidDraft("a contest needs a name of 1–100 characters") }
        guard endAt > startAt else { throw .invalidDraft("the contest must end after it starts") }
        guard winnersCount >= 1 else { throw .invalidDraft("a contest has at least one winner, not \(winnersCount)") }
        self.id = id
        self.clanID = clanID
        self.name = name
        self.description = description
        self.prize = prize
        self.status = .draft
        self.startAt = startAt
        self.endAt = endAt
        self.winnersCount = winnersCount
        self.rules = []
        self.kind = kind
    }

    /// Rebuilds a stored contest as it is (storage reads rows back through this).
    public init(id: Int64, clanID: Int64, name: String, description: String?, prize: String?, status: ContestStatus,
                startAt: Date, endAt: Date, winnersCount: Int, rules: [ContestRule], commitment: DrawCommitment?,
                entries: EntriesCommitment?, cancelReason: String?, activatedAt: Date?, endedAt: Date?, drawnAt: Date?, cancelledAt: Date?) {
        self.id = id
        self.clanID = clanID
        self.name = name
        self.description = description
        self.prize = prize
        self.status = status
        self.startAt = startAt
        self.endAt = endAt
        self.winnersCount = winnersCount
        self.rules = rules
        self.commitment = commitment
        self.entries = entries
        self.cancelReason = cancelReason
        self.activatedAt = activatedAt
        self.endedAt = endedAt
        self.drawnAt = drawnAt
        self.cancelledAt = cancelledAt
    }

    /// The next free rule position.
    public var nextRulePosition: Int { (rules.map(\.position).max() ?? 0) + 1 }

    /// The text activation commits to (docs/draw-scheme.md §3, §8.1): a raffle's rule lines exactly as before; a ranked
    /// or team contest's starts with `kind TAB <kind> LF`, writes `per` where a raffle writes `>=` (threshold = unit,
    /// weight = points per unit) and ends with the team lines, so the kind, the scoring and the teams are locked together.
    var rulesText: String {
        guard kind.scoresPoints else { return ContestRule.canonicalText(rules) }
        return "kind\t\(kind.rawValue)\n"
            + rules.sorted { $0.position < $1.position }.map { $0.canonicalLine(comparator: ContestRule.pointsComparator) }.joined()
            + (kind == .teams ? ContestTeam.canonicalText(teams) : "")
    }

    /// SHA-256 of the canonical rules text.
    public var rulesDigest: [UInt8] { Digest.sha256(Array(rulesText.utf8)) }
}

/// Whether a contest's draw mixes in the drand quicknet beacon (`drand`, the default) or nothing (`none`,
/// announced with `RandomnessMode.noneWarning`). Chosen in draft; fixed for good by activation.
public enum ContestRandomnessChoice: String, Sendable, Hashable, Codable, CaseIterable {
    case drand, none
}

/// A step in a contest's life. The service performs each in one transaction together with its side effects
/// (storing the secret, the entries, the proof).
public enum ContestEvent: Sendable, Hashable {
    /// Adds a rule (draft only). Its position must be `nextRulePosition`.
    case addRule(ContestRule)
    /// Removes the rule at a position (draft only); later rules keep their positions.
    case removeRule(position: Int)
    /// Changes the draft's name, description, prize, window, winner count or randomness (draft only).
    case edit(ContestDraftEdit)
    /// Replaces the teams of a teams contest (draft only); nobody may be in two teams.
    case setTeams([ContestTeam])
    /// Locks the rules and publishes the commitment (made with `DrawCommitment.make` from a fresh secret).
    case activate(DrawCommitment, at: Date)
    /// Locks the entries and publishes their digest and count (`EntriesCommitment.none` when nobody qualified).
    case end(EntriesCommitment, at: Date)
    /// Records the draw (the proof is stored by the service).
    case draw(at: Date)
    /// Cancels publicly, before the draw, with a reason.
    case cancel(reason: String, at: Date)

    var name: String {
        switch self {
        case .addRule: "add a rule to"
        case .removeRule: "remove a rule from"
        case .edit: "edit"
        case .setTeams: "set the teams of"
        case .activate: "activate"
        case .end: "end"
        case .draw: "draw"
        case .cancel: "cancel"
        }
    }
}

extension EntriesCommitment {
    /// What ending without entries publishes: the digest of the empty file, N = 0.
    public static var none: EntriesCommitment {
        EntriesCommitment(digest: Digest.sha256([UInt8]()).hexString, ticketCount: 0)
    }
}

/// Why a step was refused. Each message says what is wrong and what would be allowed.
public enum ContestTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidDraft(String)
    case wrongStatus(action: String, status: ContestStatus, allowed: [ContestStatus])
    case rulePosition(expected: Int, got: Int)
    case noSuchRule(position: Int)
    case noRules
    case endInThePast(endAt: Date, now: Date)
    case commitmentMismatch(String)
    case notYetOver(endAt: Date)
    case tooLateForEntries(beaconPublishedAt: Date)
    case noEntries
    case alreadyDrawn
    case emptyReason
    /// v2 with a beacon: the secret and the entries are public and round R is out, so anyone knows the winners already.
    case resultAlreadyPublic(beaconPublishedAt: Date)
    case teams(ContestTeamError)
    case tooFewTeams(Int)

    public var description: String {
        switch self {
        case .invalidDraft(let message): message
        case .wrongStatus(let action, let status, let allowed):
            status == .drawn && action == "draw"
                ? "the contest was already drawn; drawing again returns the stored result"
                : "cannot \(action) a contest that is \(status.rawValue) (only when \(allowed.map(\.rawValue).joined(separator: " or ")))"
        case .rulePosition(let expected, let got): "the next rule is number \(expected), not \(got)"
        case .noSuchRule(let position): "there is no rule \(position)"
        case .noRules: "add at least one rule before activating: without rules nobody can enter"
        case .endInThePast(let endAt, let now):
            "the contest ends \(ContestText.iso8601(endAt)), which is not after now (\(ContestText.iso8601(now))); move the end time before activating"
        case .commitmentMismatch(let message): "the commitment does not belong to this contest: \(message)"
        case .notYetOver(let endAt): "the contest runs until \(ContestText.iso8601(endAt)); it cannot end before then"
        case .tooLateForEntries(let time):
            "the beacon round was published \(ContestText.iso8601(time)), before the entries were locked; the draw can no longer be fair, so cancel the contest"
        case .noEntries: "nobody qualified, so there is nothing to draw"
        case .alreadyDrawn: "the contest was already drawn; drawing again returns the stored result"
        case .emptyReason: "a cancellation needs a reason; it is shown to the clan"
        case .teams(let error): error.description
        case .tooFewTeams(let count):
            "a teams contest needs at least two teams before it is activated (it has \(count)); add them with `/contest teams`"
        case .resultAlreadyPublic(let time):
            "the secret was published when the entries locked and the beacon round came out \(ContestText.iso8601(time)): the winners are already fixed and anyone can compute them with `clanbot verify`, so the contest can no longer be cancelled; draw it to announce them"
        }
    }
}

enum ContestText {
    static func iso8601(_ date: Date) -> String { DrawText.iso8601(date) }
}

extension Contest {
    /// Applies one step, or says why it is not allowed. Pure: the caller stores the result.
    ///
    /// draft → active → ended → drawn, and cancelled from draft, active or ended.
    /// - rules change only in draft;
    /// - activate needs at least one rule, an end time in the future, and a commitment made for this contest,
    ///   its end time and its rules;
    /// - end needs the end time passed and, with a beacon, the beacon round not yet published;
    /// - draw needs entries (N ≥ 1); a drawn contest refuses a second draw — the service returns the stored proof;
    /// - cancel needs a reason and is refused once drawn, and under v2 with a beacon once round R is out (the result is
    ///   public then: cancelling would be a veto).
    public func applying(_ event: ContestEvent) throws(ContestTransitionError) -> Contest {
        var next = self
        func require(_ allowed: ContestStatus...) throws(ContestTransitionError) {
            guard allowed.contains(status) else { throw .wrongStatus(action: event.name, status: status, allowed: allowed) }
        }
        switch event {
        case .addRule(let rule):
            try require(.draft)
            guard rule.position == nextRulePosition else { throw .rulePosition(expected: nextRulePosition, got: rule.position) }
            next.rules.append(rule)

        case .removeRule(let position):
            try require(.draft)
            guard let index = rules.firstIndex(where: { $0.position == position }) else { throw .noSuchRule(position: position) }
            next.rules.remove(at: index)

        case .edit(let edit):
            try require(.draft)
            next = try edit.applied(to: self)

        case .setTeams(let teams):
            try require(.draft)
            guard kind == .teams else { throw .teams(.notATeamContest(kind)) }
            do { try ContestTeam.validate(teams) } catch { throw .teams(error) }
            next.teams = teams

        case .activate(let commitment, let now):
            try require(.draft)
            guard !rules.isEmpty else { throw .noRules }
            if kind == .teams {
                guard teams.count >= 2 else { throw .tooFewTeams(teams.count) }
                do { try ContestTeam.validate(teams) } catch { throw .teams(error) }
            }
            guard endAt > now else { throw .endInThePast(endAt: endAt, now: now) }
            guard commitment.version != nil else { throw .commitmentMismatch("unknown scheme \(commitment.scheme)") }
            guard commitment.contestID == id else { throw .commitmentMismatch("it names contest \(commitment.contestID)") }
            guard commitment.endAtMilliseconds == DrawClock.milliseconds(endAt) else { throw .commitmentMismatch("it names another end time") }
            guard commitment.rulesDigest == rulesDigest.hexString else { throw .commitmentMismatch("it names other rules") }
            if let published = commitment.beaconPublicationTime, published <= endAt {
                throw .commitmentMismatch("its beacon round is published before the end")
            }
            next.status = .active
            next.commitment = commitment
            next.activatedAt = now

        case .end(let entries, let now):
            try require(.active)
            guard now >= endAt else { throw .notYetOver(endAt: endAt) }
            if let published = commitment?.beaconPublicationTime, now >= published {
                throw .tooLateForEntries(beaconPublishedAt: published)
            }
            next.status = .ended
            next.entries = entries
            next.endedAt = now

        case .draw(let now):
            if status == .drawn { throw .alreadyDrawn }
            try require(.ended)
            guard let entries, entries.ticketCount >= 1 else { throw .noEntries }
            next.status = .drawn
            next.drawnAt = now

        case .cancel(let reason, let now):
            try require(.draft, .active, .ended)
            // No veto (v2): once the round is out the result is public, and a cancellation would only overrule it.
            if status == .ended, let commitment, commitment.publishesSecretAtLock, (entries?.ticketCount ?? 0) > 0,
               let published = commitment.beaconPublicationTime, now >= published {
                throw .resultAlreadyPublic(beaconPublishedAt: published)
            }
            let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { throw .emptyReason }
            next.status = .cancelled
            next.cancelReason = reason
            next.cancelledAt = now
        }
        return next
    }
}
