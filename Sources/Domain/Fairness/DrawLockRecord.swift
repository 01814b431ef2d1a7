import Cryptography
import Foundation

/// What the end publishes when the entries lock (docs/draw-scheme.md §4.1): the entry file's digest and N, how many
/// winners the draw will pick, and under `clanbot-draw-v2` with a beacon the secret itself. With these, the entry
/// file and beacon round R, anyone computes the winners from `t(R)` on, before the leader draws.
public struct DrawLockRecord: Sendable, Hashable, Codable {
    public var scheme: String
    /// Published at activation.
    public var activation: DrawCommitment
    public var entries: EntriesCommitment
    /// min(the contest's winner count, different people holding tickets): what the draw asks for.
    public var winnersRequested: Int
    /// Hex of S: set when the scheme publishes it at the lock (v2 with a beacon), nil otherwise.
    public var secret: String?
    /// `ranked` or `teams` for a ranking (the entries are then the ranking file, §8); absent for a raffle.
    public var kind: ContestKind?

    public init(activation: DrawCommitment, entries: EntriesCommitment, winnersRequested: Int, secret: String?, kind: ContestKind? = nil) {
        self.scheme = activation.scheme
        self.activation = activation
        self.entries = entries
        self.winnersRequested = winnersRequested
        self.secret = secret
        self.kind = kind?.scoresPoints == true ? kind : nil
    }

    /// The record for a ranked or team contest's ranking file: `places` capped at the number of lines.
    public init(activation: DrawCommitment, kind: ContestKind, ranking: RankingFile, places: Int, secret: [UInt8]) {
        self.init(activation: activation, entries: EntriesCommitment(digest: ranking.digest.hexString, ticketCount: UInt64(ranking.count)),
                  winnersRequested: min(places, ranking.count), secret: activation.publishesSecretAtLock ? secret.hexString : nil, kind: kind)
    }

    /// The record for `entries` locked under `activation`, publishing `secret` only if the scheme says so.
    /// The winner count is capped at the number of different people (nobody wins twice).
    public init(activation: DrawCommitment, entries: EntryList, winnersWanted: Int, secret: [UInt8]) {
        self.init(activation: activation, entries: EntriesCommitment(entries), winnersRequested: min(winnersWanted, entries.distinctNames),
                  secret: activation.publishesSecretAtLock ? secret.hexString : nil)
    }

    private enum CodingKeys: String, CodingKey {
        case scheme, activation, entries, winnersRequested = "winners_requested", secret, kind
    }

    /// Stable JSON: sorted keys, two-space indentation. Same record, same bytes.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `clanbot verify` command line that computes the winners from this record and round R's signature
    /// (nil when the secret is not public yet: v1, or no beacon).
    public var verifyCommand: String? {
        guard let secret, case .drandQuicknet(let round) = activation.randomness else { return nil }
        if kind != nil { return "clanbot verify --lock lock.json --entries ranking.txt --signature SIGNATURE_OF_ROUND_\(round)" }
        return "clanbot verify --scheme \(scheme) --contest \(activation.contestID) --end-at-ms \(activation.endAtMilliseconds) "
            + "--commitment \(activation.commitment) --secret \(secret) --round \(round) --signature SIGNATURE_OF_ROUND_\(round) "
            + "--entries entries.txt --entries-digest \(entries.digest) --tickets \(entries.ticketCount) --winners \(winnersRequested)"
    }

    /// The short recipe the end message carries under v2: how anyone gets the winners at t(R) (fits one embed field).
    public var recipe: String? {
        guard secret != nil, let command = verifyCommand, case .drandQuicknet(let round) = activation.randomness else { return nil }
        return """
        The secret is public (\(scheme)): from \(DrawText.iso8601(DrandQuicknet.publicationTime(ofRound: round))) anyone can compute the winners.
        1. `sha256(secret)` = the commitment \(activation.commitment.prefix(16))… published at activation.
        2. Fetch drand quicknet round \(round) (chain \(DrandQuicknet.chainHash.prefix(8))…) from any relay.
        3. seed = HMAC-SHA256(secret, "\(scheme)\\0" ‖ u64be(\(activation.contestID)) ‖ chain ‖ u64be(\(round)) ‖ entries digest ‖ randomness); \(kind == nil ? "\(winnersRequested) winner\(winnersRequested == 1 ? "" : "s") from the stream over N = \(entries.ticketCount)" : "equal scores ordered by HMAC-SHA256(seed, \"tie-break\\0\" ‖ name), smallest first; the top \(winnersRequested) win").
        `\(command)`
        The draw will announce exactly this result (docs/draw-scheme.md §7).
        """
    }
}

extension DrawScheme {
    /// What a third party does with a lock record: checks the published secret against the commitment and the entry
    /// file against the published digest, then computes the draw with round R. Gives exactly the proof the draw gives.
    public static func precompute(lock: DrawLockRecord, beacon: BeaconRound, entries: EntryList) throws(DrawError) -> DrawProof {
        guard lock.kind == nil else { throw .malformedValue("this lock record is a \(lock.kind?.rawValue ?? "") contest's ranking; it is ranked, not drawn") }
        guard lock.scheme == lock.activation.scheme else {
            throw .malformedValue("the lock record says \(lock.scheme) but its activation record says \(lock.activation.scheme)")
        }
        guard let hex = lock.secret, let secret = [UInt8](hexString: hex) else {
            throw .malformedValue("this lock record does not publish the secret (\(lock.scheme), randomness \(lock.activation.randomness.storedMode)); the winners are known only at the draw")
        }
        guard EntriesCommitment(entries) == lock.entries else {
            throw .malformedValue("the entry file (SHA-256 \(entries.digest.hexString), N = \(entries.count)) is not the one published at the lock (\(lock.entries.digest), N = \(lock.entries.ticketCount))")
        }
        return try draw(secret: secret, commitment: lock.activation, beacon: beacon, entries: entries, winners: lock.winnersRequested)
    }
}
