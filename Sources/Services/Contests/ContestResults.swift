import Domain
import Foundation
import Storage

/// What a new contest needs. `randomness` is fixed for good at activation.
public struct ContestDraft: Sendable, Hashable {
    public var clanID: Int64
    public var name: String
    public var description: String?
    public var prize: String?
    public var startAt: Date
    public var endAt: Date
    public var winners: Int
    public var randomness: ContestRandomnessChoice
    /// Raffle, ranked or teams (docs/draw-scheme.md §8); committed with the rules at activation.
    public var kind: ContestKind
    public var createdBy: String?

    public init(clanID: Int64, name: String, description: String? = nil, prize: String? = nil, startAt: Date, endAt: Date,
                winners: Int = 1, randomness: ContestRandomnessChoice = .drand, kind: ContestKind = .raffle, createdBy: String? = nil) {
        self.clanID = clanID
        self.name = name
        self.description = description
        self.prize = prize
        self.startAt = startAt
        self.endAt = endAt
        self.winners = winners
        self.randomness = randomness
        self.kind = kind
        self.createdBy = createdBy
    }
}

/// The entries locked at the end: digest, N, who holds how many tickets, and who was left out.
public struct ContestEntriesSummary: Sendable, Hashable {
    /// Hex SHA-256 of the entry file (`sha256sum entries.txt`).
    public var digest: String
    /// N, the number of tickets (lines).
    public var ticketCount: UInt64
    /// Normalised name and tickets, in file order.
    public var holders: [ContestTicketHolder]
    /// Members evaluated but excluded, with the reason.
    public var excluded: [ContestExclusion]
    /// The stored `contest_entries` rows with their proofs (for a ranking: the points each rule gave each member).
    public var entries: [StoredContestEntry]
    /// A ranked or team contest's ranking file, line by line (empty for a raffle).
    public var ranking: [RankingFile.Line] = []
}

public struct ContestTicketHolder: Sendable, Hashable {
    public var name: String
    public var tickets: Int
}

/// A contest as the bot and the CLI show it: rules, commitment, entries, and after the draw the winners and proof.
public struct ContestDetail: Sendable, Hashable {
    public var contest: Contest
    /// Set once the contest ended.
    public var entries: ContestEntriesSummary?
    /// Set once the contest was drawn.
    public var draw: StoredContestDraw?
    /// What the lock published (set once the contest ended); carries the secret under v2 with a beacon.
    public var lock: DrawLockRecord? = nil
    /// A ranked or team contest's result, once ranked (its JSON exactly as stored in `rankingJSON`).
    public var ranking: RankingProof? = nil
    public var rankingJSON: String? = nil

    public var id: Int64 { contest.id }
    public var status: ContestStatus { contest.status }
    /// Hex SHA-256(secret), published at activation.
    var commitmentHash: String? { contest.commitment?.commitment }
    /// The committed drand round, nil without a beacon or before activation.
    public var beaconRound: UInt64? {
        if case .drandQuicknet(let round)? = contest.commitment?.randomness { return round }
        return nil
    }
    /// When the committed beacon round is published: the draw can happen from then on.
    public var beaconPublishedAt: Date? { contest.commitment?.beaconPublicationTime }
    /// The secret, when it is public before the draw (v2 with a beacon, from the lock on).
    public var publishedSecret: String? { lock?.secret }
    /// The recipe to compute the winners from the lock record and round R (v2 with a beacon, once ended).
    public var lockRecipe: String? { lock?.recipe }
    /// Under v2 with a beacon, after the draw: the result is the one anyone could compute since round R came out.
    public var precomputableNote: String? {
        guard isDecided, publishedSecret != nil, let round = beaconRound, let at = beaconPublishedAt else { return nil }
        return "This is the result anyone could compute from the values published when the entries locked and drand round \(round) (out since \(ContestServiceError.time(at)))."
    }
    /// The warning a contest without beacon carries.
    public var randomnessWarning: String? {
        if contest.commitment?.randomness == RandomnessMode.none || (contest.commitment == nil && contest.randomnessChoice == .none) {
            return RandomnessMode.noneWarning
        }
        return nil
    }
    /// Winners in order (empty before the draw).
    public var winners: [StoredContestDraw.Winner] { draw?.winners ?? [] }
    /// The proof JSON exactly as stored (`clanbot verify --proof`): the draw's, or a ranking's.
    public var proofJSON: String? { draw?.proofJSON ?? rankingJSON }
    /// The short recipe for the draw (or ranking) message.
    public var recipe: String? { draw?.proof.recipe ?? ranking?.recipe }
    /// The result is decided: drawn (raffle) or ranked (ranked, teams).
    public var isDecided: Bool { draw != nil || ranking != nil }
    /// Set when fewer people held tickets than the contest wanted winners: everyone who could win was drawn.
    public var winnersNote: String? {
        guard let draw, draw.winners.count < contest.winnersCount else { return nil }
        return "the contest asked for \(contest.winnersCount) winners but only \(draw.winners.count) \(draw.winners.count == 1 ? "person holds" : "different people hold") tickets, so \(draw.winners.count) \(draw.winners.count == 1 ? "was" : "were") drawn"
    }
}

/// What activation published.
public struct ContestActivation: Sendable, Hashable {
    public var detail: ContestDetail
    public var commitment: DrawCommitment
    /// The text to announce (includes the no-beacon warning in mode none).
    public var announcement: String { commitment.announcement }
}

/// A contest's standings: while it runs, each member's progress per rule ("needs 120,000 more Slayer xp");
/// once it ended, the final ranking. `table` is what is shown (ranked rows, kind-agnostic); its `soFar` is the
/// time of the newest snapshot used, `asOf` the moment they were asked for.
public struct ContestStandings: Sendable, Hashable {
    public var contest: Contest
    public var asOf: Date
    public var evaluation: ContestEvaluation
    public var table: Standings
}

/// What the end published.
public struct ContestEndResult: Sendable, Hashable {
    public var detail: ContestDetail
    /// The evaluation the entries came from (who qualified, who was excluded and why).
    public var evaluation: ContestEvaluation
    /// The exact entry file (empty when nobody qualified); a ranking file for ranked and team contests.
    public var entryFile: [UInt8]
    /// Ranked and team contests: the final scores the ranking file was made from.
    public var points: PointsStandings? = nil
    /// False when nobody qualified: the contest ended without entries and will never be drawn.
    public var hasEntries: Bool { (detail.contest.entries?.ticketCount ?? 0) > 0 }
}

/// What the draw published (or, for a second draw, what the first one stored).
public struct ContestDrawResult: Sendable, Hashable {
    public var detail: ContestDetail
    /// True when the contest had already been drawn: this is the stored result, not a new roll.
    public var alreadyDrawn: Bool
    public var proof: DrawProof { detail.draw?.proof ?? DrawProof.placeholder }
    public var proofJSON: String { detail.proofJSON ?? "" }
    public var winners: [StoredContestDraw.Winner] { detail.winners }
    public var recipe: String { detail.recipe ?? "" }
    /// Ranked and team contests: the final ranking with its tie-breaks.
    public var ranking: RankingProof? { detail.ranking }
}

/// `DrawVerifier` run over the stored proof and entry file.
public struct ContestVerification: Sendable, Hashable {
    public var checks: [DrawCheck]
    public var notes: [String]
    /// The raffle's draw (a placeholder for a ranking).
    public var proof: DrawProof
    /// A ranked or team contest's result.
    public var ranking: RankingProof? = nil
    public var passed: Bool { checks.allSatisfy(\.passed) }
}

extension DrawProof {
    /// Never shown: a result is built only around a stored draw.
    static let placeholder = DrawProof(
        scheme: DrawScheme.identifier,
        activation: DrawCommitment(contestID: 0, endAtMilliseconds: 0, commitment: "", rulesDigest: "", randomness: .none),
        entries: EntriesCommitment(digest: "", ticketCount: 0), beacon: nil, secret: "", winnersRequested: 0, seedInput: "", seed: "",
        acceptanceLimit: "", steps: [], winners: [])
}

/// What the service announces after each published step (the bot turns these into webhook posts and messages).
public enum ContestAnnouncement: Sendable, Hashable {
    /// `contest.activated`: the commitment, the rules digest and the beacon round (or the no-beacon warning).
    case activated(ContestActivation)
    /// `contest.ended`: the entries digest and N (0: ended without entries, no draw will follow).
    case ended(ContestEndResult)
    /// `contest.drawn`: the reveal, the beacon, the winners and the recipe.
    case drawn(ContestDrawResult)
    /// Cancelled publicly, with the reason (no webhook event of its own).
    case cancelled(ContestDetail)

    public var webhookEvent: WebhookEvent? {
        switch self {
        case .activated: .contestActivated
        case .ended: .contestEnded
        case .drawn: .contestDrawn
        case .cancelled: nil
        }
    }

    public var contest: Contest {
        switch self {
        case .activated(let value): value.detail.contest
        case .ended(let value): value.detail.contest
        case .drawn(let value): value.detail.contest
        case .cancelled(let value): value.contest
        }
    }

    /// Plain text to post: what was published at this step.
    public var text: String {
        switch self {
        case .activated(let activation):
            return "Contest \"\(activation.detail.contest.name)\" is active.\n" + activation.announcement
        case .ended(let end):
            let contest = end.detail.contest
            guard let entries = contest.entries, entries.ticketCount > 0 else {
                return "Contest \"\(contest.name)\" ended without entries: nobody qualified, so there is no draw."
                    + (end.detail.publishedSecret.map { "\nThe secret, published as the scheme says: \($0)" } ?? "")
            }
            var text = contest.kind.scoresPoints
                ? "Contest \"\(contest.name)\" ended: the ranking of \(entries.ticketCount) \(contest.kind.competitorNoun)\(entries.ticketCount == 1 ? "" : "s") is locked, ranking file SHA-256 \(entries.digest).\n"
                    + end.detail.rankingLines().joined(separator: "\n") + (end.detail.pendingTieNote.map { "\n" + $0 } ?? "")
                : "Contest \"\(contest.name)\" ended: \(entries.ticketCount) tickets, entry file SHA-256 \(entries.digest)."
            if let round = end.detail.beaconRound, let at = end.detail.beaconPublishedAt {
                text += "\nThe draw uses drand quicknet round \(round), published \(ContestServiceError.time(at))."
            }
            if let recipe = end.detail.lockRecipe {
                text += "\nFrom then on anyone can compute the winners:\n" + recipe
            }
            return text
        case .drawn(let draw) where draw.ranking != nil:
            var text = "Contest \"\(draw.detail.contest.name)\" final ranking:\n" + draw.detail.rankingLines().joined(separator: "\n")
            if let note = draw.detail.tieBreakNote { text += "\n" + note }
            text += "\n" + (draw.detail.publishedSecret != nil ? "secret (published when the ranking locked): " : "secret revealed: ") + (draw.ranking?.secret ?? "")
            if let note = draw.detail.precomputableNote { text += "\n" + note }
            return text + "\n" + draw.recipe
        case .drawn(let draw):
            let names = draw.winners.map { "\($0.position). \($0.displayName)" }.joined(separator: ", ")
            var text = "Contest \"\(draw.detail.contest.name)\" was drawn: \(names)\n"
                + (draw.detail.publishedSecret != nil ? "secret (published when the entries locked): " : "secret revealed: ") + draw.proof.secret
            if let note = draw.detail.precomputableNote { text += "\n" + note }
            if let note = draw.detail.winnersNote { text += "\nNote: \(note)" }
            return text + "\n" + draw.recipe
        case .cancelled(let detail):
            return "Contest \"\(detail.contest.name)\" was cancelled: \(detail.contest.cancelReason ?? "")"
        }
    }
}
