import Cryptography
import Foundation

/// The final ranking of a ranked or team contest (docs/draw-scheme.md §8.4): competitors by score, highest first;
/// equal scores ordered by their tie-break key, smallest first, where
/// `key(name) = HMAC-SHA256(key = seed, message = "tie-break" ‖ 0x00 ‖ name)` and `seed` is the draw's seed (§4.2)
/// with the ranking file in place of the entry file. Nobody can choose between tied competitors: the seed needs the
/// secret committed at activation, the ranking published at the end and beacon round R, published after both.
enum TieBreak {
    /// "tie-break" and a zero byte: 10 bytes, so no key message is ever a 4-byte counter message of the draw stream.
    public static let label: [UInt8] = Array("tie-break".utf8) + [0]

    /// HMAC-SHA256(seed, "tie-break" ‖ 0x00 ‖ UTF-8(name)).
    public static func key(seed: [UInt8], name: String) -> [UInt8] {
        Digest.hmacSHA256(key: seed, message: label + Array(name.utf8))
    }

    /// Orders the file: by score, then (only among equal scores) by key. A line is `tied` when another line has its
    /// score; only tied lines carry their key.
    public static func rank(_ file: RankingFile, seed: [UInt8]) -> [RankedCompetitor] {
        var counts: [Int64: Int] = [:]
        for line in file.lines { counts[line.score, default: 0] += 1 }
        let keyed = file.lines.map { line -> (RankingFile.Line, [UInt8]?) in
            (line, (counts[line.score] ?? 0) > 1 ? key(seed: seed, name: line.name) : nil)
        }
        let ordered = keyed.sorted { a, b in
            a.0.score != b.0.score ? a.0.score > b.0.score : (a.1 ?? []).lexicographicallyPrecedes(b.1 ?? [])
        }
        return ordered.enumerated().map { offset, item in
            RankedCompetitor(place: offset + 1, name: item.0.name, score: item.0.score, tied: item.1 != nil, key: item.1?.hexString)
        }
    }
}

/// One line of the final ranking.
public struct RankedCompetitor: Sendable, Hashable, Codable {
    /// 1, 2, … in the final order.
    public var place: Int
    public var name: String
    public var score: Int64
    /// Another competitor has the same score: the key decided between them.
    public var tied: Bool
    /// Hex of the tie-break key, for tied lines only.
    public var key: String?
}

/// Everything the result of a ranked or team contest published, with every intermediate value (§8.5): what the
/// contest stores at its "draw" and what `clanbot verify --proof` reads (it tells a ranking by its `kind`).
public struct RankingProof: Sendable, Hashable, Codable {
    public var scheme: String
    /// `ranked` or `teams`.
    public var kind: ContestKind
    public var activation: DrawCommitment
    /// The ranking file's digest and line count, published at the end.
    public var entries: EntriesCommitment
    public var beacon: BeaconRound?
    public var secret: String
    /// min(prize places, lines in the ranking).
    public var winnersRequested: Int
    public var seedInput: String
    public var seed: String
    /// Every competitor with at least one point, in final order.
    public var ranking: [RankedCompetitor]

    public init(scheme: String, kind: ContestKind, activation: DrawCommitment, entries: EntriesCommitment, beacon: BeaconRound?,
                secret: String, winnersRequested: Int, seedInput: String, seed: String, ranking: [RankedCompetitor]) {
        self.scheme = scheme
        self.kind = kind
        self.activation = activation
        self.entries = entries
        self.beacon = beacon
        self.secret = secret
        self.winnersRequested = winnersRequested
        self.seedInput = seedInput
        self.seed = seed
        self.ranking = ranking
    }

    /// The prize places, in order.
    public var winners: [RankedCompetitor] { Array(ranking.prefix(winnersRequested)) }

    /// Tied competitors the key placed among the prize places, or that the key kept out of them while tied with a
    /// winner: the ties the draw decided.
    public var decidedTies: [RankedCompetitor] {
        let prizeScores = Set(winners.filter(\.tied).map(\.score))
        return ranking.filter { $0.tied && prizeScores.contains($0.score) }
    }

    /// A tie straddles the last prize place: the competitor after it has its score.
    var tieAtPrizeBoundary: Bool {
        guard winnersRequested >= 1, ranking.count > winnersRequested else { return false }
        return ranking[winnersRequested - 1].score == ranking[winnersRequested].score
    }

    private enum CodingKeys: String, CodingKey {
        case scheme, kind, activation, entries, beacon, secret, winnersRequested = "winners_requested"
        case seedInput = "seed_input", seed, ranking
    }

    /// Stable JSON: sorted keys, two-space indentation. Same proof, same bytes.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(json: Data) throws(DrawError) -> RankingProof {
        do {
            return try JSONDecoder().decode(RankingProof.self, from: json)
        } catch {
            throw .malformedValue("the ranking proof is not valid: \(error)")
        }
    }

    /// Whether a proof file is a ranking (it has a `kind` of ranked or teams) rather than a raffle's draw.
    public static func isRanking(json: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any], let kind = object["kind"] as? String else { return false }
        return ContestKind(rawValue: kind)?.scoresPoints == true
    }

    /// The recipe the result message carries.
    public var recipe: String {
        let beaconLine: String
        switch activation.randomness {
        case .drandQuicknet(let round): beaconLine = "drand quicknet round \(round) (randomness = sha256(signature))"
        case .none: beaconLine = "no beacon (\(RandomnessMode.noneWarning)): zeros for chain, round and randomness"
        }
        return """
        Verify \(scheme) (\(kind.rawValue)): `sha256(secret)` = commitment \(activation.commitment.prefix(16))…; `sha256sum ranking.txt` = \(entries.digest.prefix(16))…, N = \(entries.ticketCount).
        seed = HMAC-SHA256(secret, "\(scheme)\\0" ‖ u64be(\(activation.contestID)) ‖ chain ‖ u64be(round) ‖ sha256(ranking.txt) ‖ randomness) with \(beaconLine).
        Equal scores: smallest HMAC-SHA256(seed, "tie-break\\0" ‖ name) first. The top \(winnersRequested) win.
        Or: `clanbot verify --proof proof.json --entries ranking.txt`. Spec: docs/draw-scheme.md §8
        """
    }
}

/// Ranks a ranked or team contest: the same checks as a draw (secret against the commitment, beacon against the
/// committed round and the drand key), the same seed with the ranking file as the entry file, then `TieBreak.rank`.
public enum RankingScheme {
    public static func rank(
        kind: ContestKind, secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, file: RankingFile, places: Int
    ) throws(DrawError) -> RankingProof {
        guard kind.scoresPoints else { throw .malformedValue("a raffle is drawn, not ranked") }
        try DrawScheme.checkSecret(secret, commitment: commitment)
        guard places >= 1 else { throw .winnersBelowOne(places) }
        guard file.count >= 1 else { throw .noEntries }
        let randomness = try DrawScheme.checkedRandomness(commitment: commitment, beacon: beacon)
        return try compute(kind: kind, secret: secret, commitment: commitment, beacon: beacon, randomness: randomness, file: file, places: places)
    }

    /// Recomputes a ranking from values someone typed in or a lock record (`clanbot verify`), without refusing a
    /// secret or beacon that does not match: the verifier reports those as FAIL instead.
    public static func reconstruct(
        kind: ContestKind, secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, file: RankingFile, places: Int
    ) throws(DrawError) -> RankingProof {
        guard kind.scoresPoints else { throw .malformedValue("a raffle is drawn, not ranked") }
        guard places >= 1 else { throw .winnersBelowOne(places) }
        var randomness = [UInt8](repeating: 0, count: 32)
        if case .drandQuicknet(let round) = commitment.randomness {
            guard let beacon else { throw .beaconMissing(round: round) }
            guard let bytes = beacon.randomnessBytes, bytes.count == 32 else { throw .malformedValue("the beacon randomness must be 32 bytes of hex") }
            randomness = bytes
        }
        return try compute(kind: kind, secret: secret, commitment: commitment, beacon: beacon, randomness: randomness, file: file, places: places)
    }

    /// What a third party does with the lock record of a v2 beacon contest: the ranking from public values alone.
    public static func precompute(lock: DrawLockRecord, beacon: BeaconRound, file: RankingFile) throws(DrawError) -> RankingProof {
        guard let kind = lock.kind, kind.scoresPoints else { throw .malformedValue("this lock record is a raffle's; use the draw") }
        guard let hex = lock.secret, let secret = [UInt8](hexString: hex) else {
            throw .malformedValue("this lock record does not publish the secret; the ranking's ties are decided only at the draw")
        }
        guard EntriesCommitment(digest: file.digest.hexString, ticketCount: UInt64(file.count)) == lock.entries else {
            throw .malformedValue("the ranking file (SHA-256 \(file.digest.hexString), N = \(file.count)) is not the one published at the lock (\(lock.entries.digest), N = \(lock.entries.ticketCount))")
        }
        return try rank(kind: kind, secret: secret, commitment: lock.activation, beacon: beacon, file: file, places: lock.winnersRequested)
    }

    static func compute(
        kind: ContestKind, secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, randomness: [UInt8], file: RankingFile, places: Int
    ) throws(DrawError) -> RankingProof {
        guard let version = commitment.version else { throw .unknownScheme(commitment.scheme) }
        let input = try DrawScheme.seedInput(
            version: version, contestID: commitment.contestID, chainHash: commitment.randomness.chainHashBytes,
            round: commitment.randomness.round, entriesDigest: file.digest, randomness: randomness)
        let seed = DrawScheme.seed(secret: secret, seedInput: input)
        return RankingProof(
            scheme: version.identifier, kind: kind, activation: commitment,
            entries: EntriesCommitment(digest: file.digest.hexString, ticketCount: UInt64(file.count)), beacon: beacon,
            secret: secret.hexString, winnersRequested: min(places, file.count), seedInput: input.hexString, seed: seed.hexString,
            ranking: TieBreak.rank(file, seed: seed))
    }
}
