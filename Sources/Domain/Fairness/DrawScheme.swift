import Cryptography
import Foundation

/// `clanbot-draw-v1` and `clanbot-draw-v2`, specified in docs/draw-scheme.md. Every function here is pure: the secret
/// is made by the caller (a CSPRNG in the service) and the beacon is fetched by the caller. The version comes from the
/// commitment, so a contest is always drawn and checked under the scheme it was activated with.
public enum DrawScheme {
    /// The scheme new activations use.
    public static var identifier: String { DrawSchemeVersion.current.identifier }
    public static let secretLength = 32
    /// 16 (tag) + 8 (contest id) + 32 (chain hash) + 8 (round) + 32 (entries digest) + 32 (randomness).
    static let seedInputLength = 128

    /// commitment = SHA-256(secret).
    public static func commitment(secret: [UInt8]) -> [UInt8] {
        Digest.sha256(secret)
    }

    /// The fixed-length seed input: tag ‖ u64be(contest id) ‖ chain hash ‖ u64be(round) ‖ SHA-256(entries) ‖ randomness,
    /// the tag being the version's (`clanbot-draw-v1\0` or `clanbot-draw-v2\0`).
    /// Without a beacon the chain hash and randomness are 32 zero bytes and the round is 0.
    public static func seedInput(
        version: DrawSchemeVersion, contestID: Int64, chainHash: [UInt8], round: UInt64, entriesDigest: [UInt8], randomness: [UInt8]
    ) throws(DrawError) -> [UInt8] {
        guard contestID >= 0 else { throw .invalidContestID(contestID) }
        guard chainHash.count == 32 else { throw .malformedValue("the chain hash must be 32 bytes, got \(chainHash.count)") }
        guard entriesDigest.count == 32 else { throw .malformedValue("the entries digest must be 32 bytes, got \(entriesDigest.count)") }
        guard randomness.count == 32 else { throw .malformedValue("the beacon randomness must be 32 bytes, got \(randomness.count)") }
        var input = version.tag
        input += bigEndian(UInt64(contestID))
        input += chainHash
        input += bigEndian(round)
        input += entriesDigest
        input += randomness
        return input
    }

    /// seed = HMAC-SHA256(key: secret, message: seed input).
    public static func seed(secret: [UInt8], seedInput: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: secret, message: seedInput)
    }

    /// 2^64 mod N: how many of the largest 64-bit values are rejected so that `x mod N` is uniform.
    static func rejectedTail(ticketCount: UInt64) -> UInt64 {
        precondition(ticketCount > 0, "callers check N ≥ 1")
        return (0 &- ticketCount) % ticketCount
    }

    /// The acceptance limit 2^64 − (2^64 mod N) in decimal (it can be 2^64 itself, one more than UInt64 holds).
    public static func acceptanceLimit(ticketCount: UInt64) -> String {
        let tail = rejectedTail(ticketCount: ticketCount)
        return tail == 0 ? "18446744073709551616" : String(UInt64.max - tail + 1)
    }

    /// One value of the counter stream: block = HMAC-SHA256(seed, u32be(counter)), x = its first 8 bytes (big-endian);
    /// accepted when x < 2^64 − (2^64 mod N), and then index = x mod N.
    public struct Sample: Sendable, Hashable {
        public var counter: UInt32
        public var block: [UInt8]
        public var x: UInt64
        public var index: UInt64?
        public var accepted: Bool { index != nil }
    }

    public static func sample(seed: [UInt8], counter: UInt32, ticketCount: UInt64) -> Sample {
        let block = Digest.hmacSHA256(key: seed, message: bigEndian(counter))
        let x = block.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let accepted = x <= UInt64.max - rejectedTail(ticketCount: ticketCount)
        return Sample(counter: counter, block: block, x: x, index: accepted ? x % ticketCount : nil)
    }

    /// Walks the stream from counter 0 until `winners` different names are chosen. An accepted index whose name
    /// already won (the same ticket again, or another ticket of the same person) is skipped: nobody wins twice.
    public static func select(
        seed: [UInt8], ticketCount: UInt64, winners: Int, ticketName: (UInt64) -> String?
    ) throws(DrawError) -> (steps: [DrawStep], winners: [DrawWinner]) {
        guard ticketCount >= 1 else { throw .noEntries }
        guard winners >= 1 else { throw .winnersBelowOne(winners) }
        var steps: [DrawStep] = []
        var chosen: [DrawWinner] = []
        var names = Set<String>()
        var counter: UInt32 = 0
        while chosen.count < winners {
            let sample = sample(seed: seed, counter: counter, ticketCount: ticketCount)
            var step = DrawStep(counter: counter, block: sample.block.hexString, x: bigEndian(sample.x).hexString, xDecimal: String(sample.x), outcome: .rejected, index: nil, ticket: nil)
            if let index = sample.index {
                guard let name = ticketName(index) else { throw .unknownTicket(index) }
                step.index = index
                step.ticket = name
                if names.insert(name).inserted {
                    step.outcome = .winner
                    chosen.append(DrawWinner(place: chosen.count + 1, name: name, index: index, counter: counter))
                } else {
                    step.outcome = .skippedRepeat
                }
            }
            steps.append(step)
            guard counter < UInt32.max else { throw .counterExhausted }
            counter += 1
        }
        return (steps, chosen)
    }

    /// Runs the draw: checks the secret against the commitment and the beacon against the committed round,
    /// derives the seed and picks `winners` different people. The proof carries every intermediate value.
    public static func draw(
        secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, entries: EntryList, winners: Int
    ) throws(DrawError) -> DrawProof {
        try checkSecret(secret, commitment: commitment)
        guard winners >= 1 else { throw .winnersBelowOne(winners) }
        guard entries.count >= 1 else { throw .noEntries }
        guard winners <= entries.distinctNames else {
            throw .notEnoughEntrants(requested: winners, distinct: entries.distinctNames)
        }
        let randomness = try checkedRandomness(commitment: commitment, beacon: beacon)
        return try compute(secret: secret, commitment: commitment, beacon: beacon, randomness: randomness, entries: entries, winners: winners)
    }

    /// Recomputes a draw from values someone typed in (`clanbot verify` without a proof file), without refusing
    /// a secret or beacon that does not match: the verifier reports those as FAIL instead.
    public static func reconstruct(
        secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, entries: EntryList, winners: Int
    ) throws(DrawError) -> DrawProof {
        guard commitment.version != nil else { throw .unknownScheme(commitment.scheme) }
        guard winners >= 1 else { throw .winnersBelowOne(winners) }
        guard winners <= entries.distinctNames else {
            throw .notEnoughEntrants(requested: winners, distinct: entries.distinctNames)
        }
        var randomness = [UInt8](repeating: 0, count: 32)
        if case .drandQuicknet(let round) = commitment.randomness {
            guard let beacon else { throw .beaconMissing(round: round) }
            guard let bytes = beacon.randomnessBytes, bytes.count == 32 else {
                throw .malformedValue("the beacon randomness must be 32 bytes of hex")
            }
            randomness = bytes
        }
        return try compute(secret: secret, commitment: commitment, beacon: beacon, randomness: randomness, entries: entries, winners: winners)
    }

    /// Checks the secret against the commitment (the first step of a draw and of a ranking's tie-break).
    static func checkSecret(_ secret: [UInt8], commitment: DrawCommitment) throws(DrawError) {
        guard commitment.version != nil else { throw .unknownScheme(commitment.scheme) }
        guard secret.count == secretLength else { throw .secretLength(secret.count) }
        guard Self.commitment(secret: secret).hexString == commitment.commitment.lowercased() else {
            throw .secretDoesNotMatchCommitment
        }
    }

    /// The randomness mixed into the seed: round R's, once it is checked to be the committed round with a valid
    /// signature, or 32 zero bytes for a contest committed without a beacon.
    static func checkedRandomness(commitment: DrawCommitment, beacon: BeaconRound?) throws(DrawError) -> [UInt8] {
        switch commitment.randomness {
        case .drandQuicknet(let round):
            guard let beacon else { throw .beaconMissing(round: round) }
            do { try beacon.validate(expectedRound: round) } catch { throw .beacon(error) }
            return beacon.randomnessBytes ?? []
        case .none:
            guard beacon == nil else { throw .beaconNotExpected }
            return [UInt8](repeating: 0, count: 32)
        }
    }

    private static func compute(
        secret: [UInt8], commitment: DrawCommitment, beacon: BeaconRound?, randomness: [UInt8], entries: EntryList, winners: Int
    ) throws(DrawError) -> DrawProof {
        guard let version = commitment.version else { throw .unknownScheme(commitment.scheme) }
        let entriesCommitment = EntriesCommitment(entries)
        let input = try seedInput(
            version: version, contestID: commitment.contestID, chainHash: commitment.randomness.chainHashBytes,
            round: commitment.randomness.round, entriesDigest: entries.digest, randomness: randomness
        )
        let seed = seed(secret: secret, seedInput: input)
        let tickets = entries.tickets
        let selection = try select(seed: seed, ticketCount: entriesCommitment.ticketCount, winners: winners) { index in
            index < UInt64(tickets.count) ? tickets[Int(index)] : nil
        }
        return DrawProof(
            scheme: version.identifier, activation: commitment, entries: entriesCommitment, beacon: beacon,
            secret: secret.hexString, winnersRequested: winners, seedInput: input.hexString, seed: seed.hexString,
            acceptanceLimit: acceptanceLimit(ticketCount: entriesCommitment.ticketCount),
            steps: selection.steps, winners: selection.winners
        )
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
    }
}

/// Why a draw could not be made or checked.
public enum DrawError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownScheme(String)
    case secretLength(Int)
    case invalidContestID(Int64)
    case malformedValue(String)
    case secretDoesNotMatchCommitment
    case beaconMissing(round: UInt64)
    case beaconNotExpected
    case beacon(BeaconError)
    case winnersBelowOne(Int)
    case noEntries
    case notEnoughEntrants(requested: Int, distinct: Int)
    case unknownTicket(UInt64)
    case counterExhausted

    public var description: String {
        switch self {
        case .unknownScheme(let scheme): "unknown draw scheme '\(scheme)'; this build knows \(DrawSchemeVersion.known)"
        case .secretLength(let count): "the secret must be \(DrawScheme.secretLength) bytes, got \(count)"
        case .invalidContestID(let id): "contest id \(id) is negative; the scheme encodes it as an unsigned 64-bit number"
        case .malformedValue(let message): message
        case .secretDoesNotMatchCommitment: "SHA-256(secret) is not the published commitment; this secret cannot be used for this contest"
        case .beaconMissing(let round): "the draw needs drand quicknet round \(round), which was not given"
        case .beaconNotExpected: "this contest was committed without a beacon; a beacon round cannot be added after activation"
        case .beacon(let error): "beacon refused: \(error)"
        case .winnersBelowOne(let count): "a draw picks at least one winner, not \(count)"
        case .noEntries: "there are no entries: a contest without entries cannot be drawn"
        case .notEnoughEntrants(let requested, let distinct):
            "\(requested) winners were asked for but only \(distinct) different people hold tickets; nobody can win twice"
        case .unknownTicket(let index): "ticket \(index) (line \(index + 1)) is not known"
        case .counterExhausted: "the counter stream ran out (2^32 values) before enough winners were found"
        }
    }
}
