import Foundation

/// One value of the counter stream as the draw used it.
public struct DrawStep: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// x ≥ 2^64 − (2^64 mod N): would bias `x mod N`, so the next counter is tried.
        case rejected
        /// The ticket's holder becomes the next winner.
        case winner
        /// The ticket's holder has already won: skipped, the next counter is tried.
        case skippedRepeat = "skipped_repeat"
    }

    public var counter: UInt32
    /// Hex of HMAC-SHA256(seed, u32be(counter)).
    public var block: String
    /// Hex of the block's first 8 bytes.
    public var x: String
    /// The same x in decimal, to compare with the acceptance limit by eye.
    var xDecimal: String
    public var outcome: Outcome
    /// x mod N, when accepted.
    public var index: UInt64?
    /// The name on line index + 1, when accepted.
    public var ticket: String?

    private enum CodingKeys: String, CodingKey {
        case counter, block, x, xDecimal = "x_decimal", outcome, index, ticket
    }
}

/// A winner, in the order drawn.
public struct DrawWinner: Sendable, Hashable, Codable {
    public var place: Int
    public var name: String
    /// 0-based ticket index; the name is on line index + 1 of the entry file.
    public var index: UInt64
    public var counter: UInt32
}

/// Everything a draw published, with every intermediate value: what `contest_draws.rng_proof` stores
/// and what `clanbot verify --proof` reads.
public struct DrawProof: Sendable, Hashable, Codable {
    public var scheme: String
    /// Published at activation.
    public var activation: DrawCommitment
    /// Published at the end.
    public var entries: EntriesCommitment
    /// The beacon round used (absent without a beacon).
    public var beacon: BeaconRound?
    /// Revealed at the draw (hex).
    public var secret: String
    public var winnersRequested: Int
    public var seedInput: String
    public var seed: String
    public var acceptanceLimit: String
    public var steps: [DrawStep]
    public var winners: [DrawWinner]

    public init(
        scheme: String, activation: DrawCommitment, entries: EntriesCommitment, beacon: BeaconRound?, secret: String,
        winnersRequested: Int, seedInput: String, seed: String, acceptanceLimit: String, steps: [DrawStep], winners: [DrawWinner]
    ) {
        self.scheme = scheme
        self.activation = activation
        self.entries = entries
        self.beacon = beacon
        self.secret = secret
        self.winnersRequested = winnersRequested
        self.seedInput = seedInput
        self.seed = seed
        self.acceptanceLimit = acceptanceLimit
        self.steps = steps
        self.winners = winners
    }

    private enum CodingKeys: String, CodingKey {
        case scheme, activation, entries, beacon, secret, winnersRequested = "winners_requested"
        case seedInput = "seed_input", seed, acceptanceLimit = "acceptance_limit", steps, winners
    }

    /// Stable JSON: sorted keys, two-space indentation, no escaped slashes. Same proof, same bytes.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a proof; the error says which field is wrong.
    public static func decode(json: Data) throws(DrawError) -> DrawProof {
        do {
            return try JSONDecoder().decode(DrawProof.self, from: json)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformedValue("the proof has no '\(Self.path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .malformedValue("the proof's '\(Self.path(context.codingPath))' has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .malformedValue("the proof's '\(Self.path(context.codingPath))' is null")
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformedValue("the proof is not valid: \(context.debugDescription) \(Self.path(context.codingPath))")
        } catch {
            throw .malformedValue("the proof is not valid JSON: \(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// The short recipe the bot's draw message carries: enough to redo the draw with standard tools.
    public var recipe: String {
        let beaconLine: String
        switch activation.randomness {
        case .drandQuicknet(let round):
            beaconLine = "2. Fetch drand quicknet round \(round) (`/\(DrandQuicknet.chainHash)/public/\(round)`); check randomness = sha256(signature)."
        case .none:
            beaconLine = "2. No beacon (\(RandomnessMode.noneWarning)); chain hash, round and randomness are zeros."
        }
        // Under v2 with a beacon the secret was public since the lock: this draw only announces what anyone could compute.
        let secretLine = activation.publishesSecretAtLock
            ? "1. The secret was published when the entries locked; `sha256(secret)` = commitment \(activation.commitment.prefix(16))…"
            : "1. `sha256(secret)` = commitment \(activation.commitment.prefix(16))…"
        return """
        Verify \(scheme): \(secretLine)
        \(beaconLine)
        3. `sha256sum entries.txt` = \(entries.digest.prefix(16))…, N = \(entries.ticketCount) lines.
        4. seed = HMAC-SHA256(secret, "\(scheme)\\0" ‖ u64be(\(activation.contestID)) ‖ chain hash ‖ u64be(round) ‖ entries digest ‖ randomness).
        5. For i = 0, 1, …: x = first 8 bytes of HMAC-SHA256(seed, u32be(i)); keep x < \(acceptanceLimit); winner = line (x mod N) + 1, skipping people who already won.
        Or: `clanbot verify --proof proof.json --entries entries.txt`. Spec: docs/draw-scheme.md
        """
    }
}
