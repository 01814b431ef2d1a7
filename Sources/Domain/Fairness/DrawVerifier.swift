import Cryptography
import Foundation

/// One recomputed value compared with what was published.
public struct DrawCheck: Sendable, Hashable {
    public var name: String
    public var passed: Bool
    /// The recomputed value, or what differs.
    public var detail: String

    public init(name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}

/// Values a checker saw published before the draw (activation and end announcements). Each one given is
/// compared with the proof, so a proof cannot quietly swap them.
public struct PublishedValues: Sendable, Hashable {
    /// The scheme the activation named (`clanbot-draw-v1` or `clanbot-draw-v2`).
    public var scheme: String?
    public var contestID: Int64?
    public var commitment: String?
    public var round: UInt64?
    public var entriesDigest: String?
    public var ticketCount: UInt64?
    public var winners: [String]?

    public init(contestID: Int64? = nil, commitment: String? = nil, round: UInt64? = nil, entriesDigest: String? = nil, ticketCount: UInt64? = nil, winners: [String]? = nil) {
        self.contestID = contestID
        self.commitment = commitment
        self.round = round
        self.entriesDigest = entriesDigest
        self.ticketCount = ticketCount
        self.winners = winners
    }
}

/// Recomputes a draw from its proof (and, when given, the downloaded entry file) and says PASS or FAIL per value.
/// The beacon's BLS signature is checked against `drandPublicKey` (quicknet's unless DRAND_PUBLIC_KEY says otherwise).
public enum DrawVerifier {
    public static func verify(proof: DrawProof, entryFile: [UInt8]?, published: PublishedValues = PublishedValues(),
                              drandPublicKey: DrandPublicKey = .quicknet) -> [DrawCheck] {
        var checks: [DrawCheck] = []
        func check(_ name: String, _ passed: Bool, _ detail: String) {
            checks.append(DrawCheck(name: name, passed: passed, detail: detail))
        }
        func equal(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
        let activation = proof.activation
        guard let material = checkSeedMaterial(scheme: proof.scheme, activation: activation, secretHex: proof.secret, beacon: proof.beacon,
                                               entries: proof.entries, published: published, drandPublicKey: drandPublicKey, check: check) else {
            return checks
        }
        let (version, secret, randomness) = (material.version, material.secret, material.randomness)

        // The entries.
        var entriesDigest = [UInt8](hexString: proof.entries.digest) ?? []
        var ticketCount = proof.entries.ticketCount
        var fileTickets: [String]?
        if let entryFile {
            do {
                let list = try EntryList.parse(bytes: entryFile)
                fileTickets = list.tickets
                check("entry file format", true, "\(list.count) tickets held by \(list.distinctNames) people, canonical order")
            } catch {
                check("entry file format", false, error.description)
            }
            let digest = Digest.sha256(entryFile)
            check("entries digest", equal(digest.hexString, proof.entries.digest), "SHA-256(entry file) = \(digest.hexString); published \(proof.entries.digest)")
            entriesDigest = digest
            if let fileTickets {
                check("ticket count", UInt64(fileTickets.count) == proof.entries.ticketCount, "file has \(fileTickets.count) lines; published N = \(proof.entries.ticketCount)")
                ticketCount = UInt64(fileTickets.count)
            }
        }

        // The seed.
        guard let seed = checkSeed(version: version, activation: activation, secret: secret, randomness: randomness, entriesDigest: entriesDigest,
                                   proofSeedInput: proof.seedInput, proofSeed: proof.seed, check: check) else { return checks }

        // The counter stream and the winners.
        guard ticketCount >= 1 else {
            check("ticket count", false, "N = 0: a contest without entries has no draw")
            return checks
        }
        let limit = DrawScheme.acceptanceLimit(ticketCount: ticketCount)
        check("acceptance limit", limit == proof.acceptanceLimit, "2^64 − (2^64 mod \(ticketCount)) = \(limit)")
        var recordedNames: [UInt64: String] = [:]
        for step in proof.steps { if let index = step.index, let ticket = step.ticket { recordedNames[index] = ticket } }
        let lookup: (UInt64) -> String? = { index in
            if let fileTickets { return index < UInt64(fileTickets.count) ? fileTickets[Int(index)] : nil }
            return recordedNames[index]
        }
        // Without enough different names the stream would never end; say so instead of walking 2^32 counters.
        let distinct = fileTickets.map { Set($0).count } ?? Set(recordedNames.values).count
        guard proof.winnersRequested >= 1, proof.winnersRequested <= distinct else {
            check("winners", false, "the proof asks for \(proof.winnersRequested) winners; \(distinct) different people are known")
            return checks
        }
        do {
            let selection = try DrawScheme.select(seed: seed, ticketCount: ticketCount, winners: proof.winnersRequested, ticketName: lookup)
            for (offset, step) in selection.steps.enumerated() {
                let recorded = offset < proof.steps.count ? proof.steps[offset] : nil
                let same = recorded.map {
                    $0.counter == step.counter && equal($0.block, step.block) && equal($0.x, step.x) && $0.outcome == step.outcome && $0.index == step.index && $0.ticket == step.ticket
                } ?? false
                let result = step.index.map { "index \($0) (line \($0 + 1)) \(step.ticket ?? "?") → \(step.outcome.rawValue)" } ?? "rejected (x ≥ limit)"
                check("counter \(step.counter)", same, "x = \(step.x) = \(step.xDecimal): \(result)" + (same ? "" : recorded == nil ? "; missing from the proof" : "; the proof says otherwise"))
            }
            if proof.steps.count > selection.steps.count {
                check("steps", false, "the proof lists \(proof.steps.count) counters; the draw ends after \(selection.steps.count)")
            }
            let names = selection.winners.map(\.name)
            check("winners", selection.winners == proof.winners,
                  names.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: ", ") + (selection.winners == proof.winners ? "" : "; the proof names \(proof.winners.map(\.name).joined(separator: ", "))"))
            if let announced = published.winners {
                check("published winners", announced.compactMap(EntryList.normalise) == names, "announced \(announced.joined(separator: ", ")), recomputed \(names.joined(separator: ", "))")
            }
        } catch {
            check("winners", false, error.description)
        }
        return checks
    }

    /// The checks a draw and a ranking share: the scheme, the values announced earlier, the secret against the
    /// commitment and the beacon (round timing, round, BLS signature, randomness). Nil when the scheme is unknown.
    static func checkSeedMaterial(
        scheme proofScheme: String, activation: DrawCommitment, secretHex: String, beacon: BeaconRound?, entries: EntriesCommitment,
        published: PublishedValues, drandPublicKey: DrandPublicKey, check: (String, Bool, String) -> Void
    ) -> (version: DrawSchemeVersion, secret: [UInt8], randomness: [UInt8])? {
        func equal(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
        // The version comes from the activation record: a v1 contest is checked as v1, a v2 contest as v2.
        let version = activation.version
        check("scheme", version != nil && proofScheme == activation.scheme,
              version == nil ? "the activation names '\(activation.scheme)'; this verifier implements \(DrawSchemeVersion.known)"
                : proofScheme == activation.scheme ? "\(activation.scheme) (seed tag \(version?.tag.hexString ?? ""))"
                : "proof says \(proofScheme), activation says \(activation.scheme)")
        guard let version else { return nil }

        // What was announced earlier must be what the proof carries.
        if let scheme = published.scheme {
            check("published scheme", scheme == activation.scheme, "announced \(scheme), proof \(activation.scheme)")
        }
        if let id = published.contestID {
            check("published contest id", id == activation.contestID, "announced \(id), proof \(activation.contestID)")
        }
        if let commitment = published.commitment {
            check("published commitment", equal(commitment, activation.commitment), "announced \(commitment), proof \(activation.commitment)")
        }
        if let round = published.round {
            let proofRound = activation.randomness.round
            check("published round", round == proofRound, "announced \(round), proof \(proofRound)")
        }
        if let digest = published.entriesDigest {
            check("published entries digest", equal(digest, entries.digest), "announced \(digest), proof \(entries.digest)")
        }
        if let count = published.ticketCount {
            check("published ticket count", count == entries.ticketCount, "announced \(count), proof \(entries.ticketCount)")
        }

        // The secret and its commitment.
        let secret = [UInt8](hexString: secretHex) ?? []
        check("secret", secret.count == DrawScheme.secretLength, "\(secret.count) bytes (must be \(DrawScheme.secretLength))")
        let commitment = DrawScheme.commitment(secret: secret).hexString
        check("commitment", equal(commitment, activation.commitment), "SHA-256(secret) = \(commitment); published \(activation.commitment)")

        // The public randomness.
        var randomness = [UInt8](repeating: 0, count: 32)
        switch activation.randomness {
        case .drandQuicknet(let round):
            // The beacon value must be unknown until after the end: round R is published after end_at.
            let published = DrandQuicknet.publicationMilliseconds(ofRound: round)
            check("round timing", round >= 1 && published > activation.endAtMilliseconds,
                  "round \(round) is published \(DrawText.iso8601(DrandQuicknet.publicationTime(ofRound: round))), \((published - activation.endAtMilliseconds) / 1000) s after the end \(DrawText.iso8601(activation.endAt))")
            if let beacon {
                check("beacon round", beacon.round == round, "beacon round \(beacon.round), committed \(round)")
                let signature = beacon.signatureBytes ?? []
                do {
                    try beacon.verifySignature(publicKey: drandPublicKey)
                    check("beacon signature", true, "BLS signature of round \(beacon.round) verifies under \(drandPublicKey)")
                } catch {
                    check("beacon signature", false, error.description)
                }
                let computed = Digest.sha256(signature).hexString
                check("beacon randomness", equal(computed, beacon.randomness), "SHA-256(signature) = \(computed); proof \(beacon.randomness)")
                randomness = beacon.randomnessBytes ?? []
            } else {
                check("beacon round", false, "the contest committed to drand round \(round) but the proof has no beacon")
            }
        case .none:
            check("no beacon", beacon == nil, beacon == nil ? RandomnessMode.noneWarning : "committed without a beacon, yet the proof carries one")
        }
        return (version, secret, randomness)
    }

    /// Recomputes the seed input and the seed (§4.2) and compares them with the proof's; nil when the input cannot be built.
    static func checkSeed(
        version: DrawSchemeVersion, activation: DrawCommitment, secret: [UInt8], randomness: [UInt8], entriesDigest: [UInt8],
        proofSeedInput: String, proofSeed: String, check: (String, Bool, String) -> Void
    ) -> [UInt8]? {
        do {
            let input = try DrawScheme.seedInput(
                version: version, contestID: activation.contestID, chainHash: activation.randomness.chainHashBytes,
                round: activation.randomness.round, entriesDigest: entriesDigest, randomness: randomness
            )
            check("seed input", input.hexString == proofSeedInput.lowercased(), input.hexString)
            let seed = DrawScheme.seed(secret: secret, seedInput: input)
            check("seed", seed.hexString == proofSeed.lowercased(), "HMAC-SHA256(secret, seed input) = \(seed.hexString)")
            return seed
        } catch {
            check("seed input", false, error.description)
            return nil
        }
    }

    /// The same, with the entry file as text (as downloaded).
    public static func verify(proof: DrawProof, entryFileText: String?, published: PublishedValues = PublishedValues(),
                              drandPublicKey: DrandPublicKey = .quicknet) -> [DrawCheck] {
        verify(proof: proof, entryFile: entryFileText.map { Array($0.utf8) }, published: published, drandPublicKey: drandPublicKey)
    }

    /// What a PASS here does not cover, to print next to the checks.
    public static func notes(proof: DrawProof, entryFileGiven: Bool) -> [String] {
        var notes: [String] = []
        if proof.activation.publishesSecretAtLock {
            notes.append("Under \(proof.activation.scheme) the secret was published when the entries locked, before round \(proof.activation.randomness.round) existed: from then on anyone could compute these winners, and the draw only announced them.")
        }
        if case .drandQuicknet(let round) = proof.activation.randomness {
            notes.append("'beacon signature' is the BLS check against the drand public key; round \(round) can also be compared with any drand relay, e.g. `curl https://api.drand.sh\(DrandQuicknet.path(ofRound: round))`.")
        } else {
            notes.append("This contest was committed without a beacon: \(RandomnessMode.noneWarning).")
        }
        if !entryFileGiven {
            notes.append("No entry file was given: ticket names were taken from the proof and the entries digest was not recomputed. Pass --entries FILE to check them.")
        }
        return notes
    }
}
