import Cryptography
import Foundation

/// Where the public randomness of a draw comes from. Fixed at activation; it cannot change afterwards.
public enum RandomnessMode: Sendable, Hashable, Codable {
    /// drand quicknet round `round`, published after the end time (at activation: the first round after end + margin).
    case drandQuicknet(round: UInt64)
    /// No beacon: the secret alone decides, so whoever holds it could predict the draw. Published with `noneWarning`.
    case none

    public static let noneWarning = "no external randomness: the host could predict the draw"

    /// What the activation announcement says about the randomness.
    public var summary: String {
        switch self {
        case .drandQuicknet(let round):
            "drand quicknet (chain \(DrandQuicknet.chainHash)) round \(round), published at \(DrawText.iso8601(DrandQuicknet.publicationTime(ofRound: round)))"
        case .none: Self.noneWarning
        }
    }

    /// The chain hash mixed into the seed: quicknet's, or 32 zero bytes without a beacon.
    var chainHashBytes: [UInt8] {
        switch self {
        case .drandQuicknet: [UInt8](hexString: DrandQuicknet.chainHash) ?? []
        case .none: [UInt8](repeating: 0, count: 32)
        }
    }

    /// The round mixed into the seed: R, or 0 without a beacon.
    var round: UInt64 {
        switch self {
        case .drandQuicknet(let round): round
        case .none: 0
        }
    }

    private enum CodingKeys: String, CodingKey {
        case mode, chainHash = "chain_hash", round, warning
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .mode) {
        case "drand-quicknet":
            let chain = try container.decode(String.self, forKey: .chainHash)
            guard chain.lowercased() == DrandQuicknet.chainHash else {
                throw DecodingError.dataCorruptedError(forKey: .chainHash, in: container, debugDescription: "the draw scheme only knows drand quicknet (\(DrandQuicknet.chainHash)), not chain \(chain)")
            }
            self = .drandQuicknet(round: try container.decode(UInt64.self, forKey: .round))
        case "none":
            self = .none
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .mode, in: container, debugDescription: "unknown randomness mode '\(other)' (expected 'drand-quicknet' or 'none')")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .drandQuicknet(let round):
            try container.encode("drand-quicknet", forKey: .mode)
            try container.encode(DrandQuicknet.chainHash, forKey: .chainHash)
            try container.encode(round, forKey: .round)
        case .none:
            try container.encode("none", forKey: .mode)
            try container.encode(Self.noneWarning, forKey: .warning)
        }
    }
}

/// How a contest wants its randomness, before the round is known.
public enum BeaconChoice: Sendable, Hashable {
    case drandQuicknet(marginSeconds: Int64)
    case none

    /// The default: quicknet, with 15 minutes after the end to take the final snapshots and publish the entries.
    public static let standard = BeaconChoice.drandQuicknet(marginSeconds: 900)
}

/// What activation publishes: everything the draw will depend on except the secret, the entries and the beacon value.
public struct DrawCommitment: Sendable, Hashable, Codable {
    public var scheme: String
    public var contestID: Int64
    /// Contest end, Unix epoch milliseconds.
    public var endAtMilliseconds: Int64
    /// Hex of SHA-256(secret).
    public var commitment: String
    /// Hex of SHA-256 of the canonical rules text.
    public var rulesDigest: String
    public var randomness: RandomnessMode

    public init(scheme: String = DrawScheme.identifier, contestID: Int64, endAtMilliseconds: Int64, commitment: String, rulesDigest: String, randomness: RandomnessMode) {
        self.scheme = scheme
        self.contestID = contestID
        self.endAtMilliseconds = endAtMilliseconds
        self.commitment = commitment
        self.rulesDigest = rulesDigest
        self.randomness = randomness
    }

    /// Commits to `secret` (32 bytes from a CSPRNG, made by the caller) and fixes the beacon round.
    public static func make(
        contestID: Int64, endAt: Date, secret: [UInt8], rulesDigest: [UInt8], beacon: BeaconChoice, version: DrawSchemeVersion = .current
    ) throws(DrawError) -> DrawCommitment {
        try make(contestID: contestID, endAtMilliseconds: DrawClock.milliseconds(endAt), secret: secret, rulesDigest: rulesDigest, beacon: beacon, version: version)
    }

    public static func make(
        contestID: Int64, endAtMilliseconds endMilliseconds: Int64, secret: [UInt8], rulesDigest: [UInt8], beacon: BeaconChoice,
        version: DrawSchemeVersion = .current
    ) throws(DrawError) -> DrawCommitment {
        guard secret.count == DrawScheme.secretLength else { throw .secretLength(secret.count) }
        guard contestID >= 0 else { throw .invalidContestID(contestID) }
        guard rulesDigest.count == 32 else { throw .malformedValue("the rules digest must be 32 bytes (SHA-256)") }
        let randomness: RandomnessMode
        switch beacon {
        case .drandQuicknet(let margin):
            guard (0...maximumMarginSeconds).contains(margin) else {
                throw .malformedValue("the beacon margin must be 0…\(maximumMarginSeconds) s, got \(margin) s")
            }
            guard let round = committedRound(endAtMilliseconds: endMilliseconds, marginSeconds: margin) else {
                throw .malformedValue("end time \(endMilliseconds) ms is outside the years 1970–9999")
            }
            randomness = .drandQuicknet(round: round)
        case .none:
            randomness = .none
        }
        return DrawCommitment(
            scheme: version.identifier, contestID: contestID, endAtMilliseconds: endMilliseconds,
            commitment: DrawScheme.commitment(secret: secret).hexString,
            rulesDigest: rulesDigest.hexString, randomness: randomness
        )
    }

    public var endAt: Date { DrawClock.date(milliseconds: endAtMilliseconds) }

    /// A margin longer than 30 days is a mistake, not a plan.
    public static let maximumMarginSeconds: Int64 = 30 * 24 * 3600

    /// The first quicknet round published after end + margin; nil when the values are out of range
    /// (a proof read from a file can hold anything).
    public static func committedRound(endAtMilliseconds: Int64, marginSeconds: Int64) -> UInt64? {
        guard (0...253_402_300_799_999).contains(endAtMilliseconds), (0...maximumMarginSeconds).contains(marginSeconds) else { return nil }
        return DrandQuicknet.firstRound(afterMilliseconds: endAtMilliseconds + marginSeconds * 1000)
    }

    /// When the committed beacon round is published (nil without a beacon): the entries must be public before then.
    public var beaconPublicationTime: Date? {
        guard case .drandQuicknet(let round) = randomness else { return nil }
        return DrandQuicknet.publicationTime(ofRound: round)
    }

    /// The text activation publishes.
    public var announcement: String {
        """
        \(scheme) commitment for contest \(contestID)
        ends: \(DrawText.iso8601(endAt))
        commitment = SHA-256(secret) = \(commitment)
        rules digest = \(rulesDigest)
        randomness: \(randomness.summary)
        """
    }

    private enum CodingKeys: String, CodingKey {
        case scheme, contestID = "contest_id", endAtMilliseconds = "end_at_ms", commitment, rulesDigest = "rules_digest", randomness
    }
}

/// What ending publishes: the entry file's digest and its ticket count, before the beacon round exists.
public struct EntriesCommitment: Sendable, Hashable, Codable {
    /// Hex of SHA-256(entry file).
    public var digest: String
    /// N.
    public var ticketCount: UInt64

    public init(digest: String, ticketCount: UInt64) {
        self.digest = digest
        self.ticketCount = ticketCount
    }

    public init(_ entries: EntryList) {
        self.init(digest: entries.digest.hexString, ticketCount: UInt64(entries.count))
    }

    private enum CodingKeys: String, CodingKey {
        case digest, ticketCount = "ticket_count"
    }
}

/// Small text helpers shared by the announcements.
enum DrawText {
    static func iso8601(_ date: Date) -> String {
        ISO8601Time.stringWithFractionalSeconds(date)
    }
}
