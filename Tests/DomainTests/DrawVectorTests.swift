import Cryptography
import Foundation
import Testing
@testable import Domain

/// docs/draw-vectors/*.json: the implementation reproduces every vector from its inputs, and the vectors have
/// the property each one is there for. (Set CLANBOT_WRITE_DRAW_VECTORS=1 to search for and rewrite them.)
@Suite struct DrawVectorTests {
    @Test(arguments: DrawVectorFiles.drawNames)
    func theImplementationReproducesEachDrawVector(name: String) throws {
        let vector = try DrawVectorFiles.loadDraw(name)
        let redone = try DrawVectorFiles.redo(vector)
        #expect(redone == vector.proof)
        #expect(redone.json == vector.proof.json)
        // The stored rules digest is the digest of the stored rules text.
        #expect(redone.activation.rulesDigest == Digest.sha256(Array(vector.rulesText.utf8)).hexString)
        // Every check of the verifier passes on an untouched vector.
        let checks = DrawVerifier.verify(proof: vector.proof, entryFile: Array(vector.entriesFile.utf8))
        #expect(checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed })")
    }

    @Test(arguments: DrawVectorFiles.v2DrawNames)
    func eachV2VectorsLockRecordIsReproducedAndGivesTheDraw(name: String) throws {
        let vector = try DrawVectorFiles.loadDraw(name)
        let lock = try #require(vector.lock)
        let proof = vector.proof
        #expect(proof.scheme == DrawSchemeVersion.v2.identifier && proof.activation.version == .v2)
        let entries = try EntryList.parse(text: vector.entriesFile)
        let secret = try #require([UInt8](hexString: proof.secret))
        #expect(DrawLockRecord(activation: proof.activation, entries: entries, winnersWanted: proof.winnersRequested, secret: secret) == lock)
        if let beacon = proof.beacon {
            // With a beacon the lock publishes S: the lock record, the entry file and round R alone give the draw.
            #expect(lock.secret == proof.secret)
            #expect(try DrawScheme.precompute(lock: lock, beacon: beacon, entries: entries) == proof)
        } else {
            // Without a beacon S stays hidden until the draw, as in v1.
            #expect(lock.secret == nil)
            #expect(throws: DrawError.self) { try DrawScheme.precompute(lock: lock, beacon: BeaconRound(round: 1, signature: [1]), entries: entries) }
        }
    }

    @Test func v2ChangesOnlyTheTagOfTheSeedInput() throws {
        // v2-n5 redraws A.2 (n5) with the same secret, contest, entries and beacon: only the 16-byte tag differs, and the seed with it.
        let v1 = try DrawVectorFiles.loadDraw("n5").proof
        let v2 = try DrawVectorFiles.loadDraw("v2-n5").proof
        let input1 = try #require([UInt8](hexString: v1.seedInput))
        let input2 = try #require([UInt8](hexString: v2.seedInput))
        #expect(Array(input1.prefix(16)) == DrawSchemeVersion.v1.tag)
        #expect(Array(input2.prefix(16)) == DrawSchemeVersion.v2.tag)
        #expect(input1.dropFirst(16) == input2.dropFirst(16))
        #expect(v1.secret == v2.secret && v1.seed != v2.seed)
        // A v1 proof relabelled as v2 (or the reverse) fails the seed check.
        var relabelled = v1
        relabelled.scheme = DrawSchemeVersion.v2.identifier
        relabelled.activation.scheme = DrawSchemeVersion.v2.identifier
        let checks = DrawVerifier.verify(proof: relabelled, entryFile: Array(try DrawVectorFiles.loadDraw("n5").entriesFile.utf8))
        #expect(checks.first { $0.name == "seed input" }?.passed == false)
        #expect(checks.first { $0.name == "seed" }?.passed == false)
    }

    @Test func eachVectorCoversWhatItIsFor() throws {
        let n1 = try DrawVectorFiles.loadDraw("n1").proof
        #expect(n1.entries.ticketCount == 1)
        let n5 = try DrawVectorFiles.loadDraw("n5").proof
        #expect(n5.entries.ticketCount == 5)
        let n8 = try DrawVectorFiles.loadDraw("n8-power-of-two").proof
        #expect(n8.entries.ticketCount.nonzeroBitCount == 1 && n8.entries.ticketCount > 1)
        #expect(n8.acceptanceLimit == "18446744073709551616")
        let repeated = try DrawVectorFiles.loadDraw("several-winners-repeat-skipped").proof
        #expect(repeated.winners.count >= 2)
        #expect(repeated.steps.contains { $0.outcome == .skippedRepeat })
        let none = try DrawVectorFiles.loadDraw("no-beacon").proof
        #expect(none.activation.randomness == .none && none.beacon == nil)
        for name in DrawVectorFiles.v1DrawNames {
            #expect(try DrawVectorFiles.loadDraw(name).proof.scheme == DrawSchemeVersion.v1.identifier)
        }
        let repeatedV2 = try DrawVectorFiles.loadDraw("v2-several-winners-repeat-skipped").proof
        #expect(repeatedV2.winners.count >= 2 && repeatedV2.steps.contains { $0.outcome == .skippedRepeat })
        let noneV2 = try DrawVectorFiles.loadDraw("v2-no-beacon")
        #expect(noneV2.proof.activation.randomness == .none && noneV2.lock?.secret == nil && noneV2.proof.winners.count >= 2)
        for name in ["n1", "n5", "several-winners-repeat-skipped", "v2-n5", "v2-several-winners-repeat-skipped"] {
            let proof = try DrawVectorFiles.loadDraw(name).proof
            guard case .drandQuicknet = proof.activation.randomness else {
                Issue.record("\(name) should use drand quicknet")
                continue
            }
        }
    }

    @Test func theStreamVectorExercisesRejectionAndIsReproduced() throws {
        let vector = try DrawVectorFiles.loadStream("stream-rejection")
        let seed = try #require([UInt8](hexString: vector.seed))
        let count = try #require(UInt64(vector.ticketCount))
        let redone = StreamVector.compute(comment: vector.comment, seed: seed, ticketCount: count)
        let redoneText = try DrawVectorFiles.encode(redone)
        #expect(redoneText == (try DrawVectorFiles.encode(vector)))
        #expect(vector.steps.filter { !$0.accepted }.count >= 2)
        #expect(vector.steps.last?.accepted == true)
    }

    @Test func theSpecShowsEachVectorsSeed() throws {
        let spec = try String(contentsOf: DrawVectorFiles.root.appendingPathComponent("docs/draw-scheme.md"), encoding: .utf8)
        for name in DrawVectorFiles.drawNames {
            let vector = try DrawVectorFiles.loadDraw(name)
            #expect(spec.contains(vector.proof.seed), "docs/draw-scheme.md does not show the seed of \(name)")
        }
        #expect(spec.contains(try DrawVectorFiles.loadStream("stream-rejection").seed))
    }

    // MARK: - the search that produced the vectors (test-only; off unless asked for)

    /// Real quicknet beacons, from https://api.drand.sh/52db9ba7…e971/public/{2,3}.
    static let quicknetRound2 = BeaconRound(round: 2, signature: [UInt8](hexString: "b6b6a585449b66eb12e875b64fcbab3799861a00e4dbf092d99e969a5eac57dd3f798acf61e705fe4f093db926626807") ?? [])
    static let quicknetRound3 = BeaconRound(round: 3, signature: [UInt8](hexString: "b3fab6df720b68cc47175f2c777e86d84187caab5770906f515ff1099cb01e4deaa027075d860823e49477b93c72bd64") ?? [])

    struct Spec {
        var version: DrawSchemeVersion = .v1
        var name: String
        /// The vector whose secret this one reuses (to show what the tag alone changes), if any.
        var secretOf: String?
        var comment: String
        var contestID: Int64
        var endAtMilliseconds: Int64
        var beacon: BeaconChoice
        var round: BeaconRound?
        var rulesText: String
        var entrants: [(String, Int)]
        var winners: Int
        var wanted: (DrawProof) -> Bool = { _ in true }
    }

    static var specs: [Spec] {
        let genesis = DrandQuicknet.genesisSeconds * 1000
        let margin: Int64 = 900
        return [
            Spec(name: "n1", comment: "N = 1: one entrant with one ticket; drand quicknet round 2", contestID: 1,
                 endAtMilliseconds: genesis - margin * 1000 + 500, beacon: .drandQuicknet(marginSeconds: margin), round: quicknetRound2,
                 rulesText: "1\ttotal_xp\t*\t>=\t1000000\t1\tA million xp\n", entrants: [("Zezima", 1)], winners: 1),
            Spec(name: "n5", comment: "N = 5: three entrants with weights 1, 2 and 2; drand quicknet round 3", contestID: 2,
                 endAtMilliseconds: genesis - margin * 1000 + 4000, beacon: .drandQuicknet(marginSeconds: margin), round: quicknetRound3,
                 rulesText: "1\tskill_xp\tslayer\t>=\t120000\t1\tSlayer grind\n2\tboss_kc\tvorkath,zulrah\t>=\t50\t1\tBossing\n",
                 entrants: [("Zezima", 1), ("Lynx_Titan", 2), ("B0aty", 2)], winners: 1),
            Spec(name: "n8-power-of-two", comment: "N = 8, a power of two: 2^64 mod N = 0, nothing is ever rejected; drand quicknet round 3", contestID: 3,
                 endAtMilliseconds: genesis - 60_000 + 3000, beacon: .drandQuicknet(marginSeconds: 60), round: quicknetRound3,
                 rulesText: "1\tclue_count\t*\t>=\t5\t1\tClue hunters\n",
                 entrants: [("alpha", 1), ("bravo", 1), ("charlie", 1), ("delta", 1), ("echo", 1), ("foxtrot", 1), ("golf", 1), ("hotel", 1)], winners: 1),
            Spec(name: "several-winners-repeat-skipped", comment: "three winners from N = 10 where one person holds 6 tickets: an accepted ticket of a person who already won is skipped; drand quicknet round 2", contestID: 4,
                 endAtMilliseconds: genesis - margin * 1000 + 2999, beacon: .drandQuicknet(marginSeconds: margin), round: quicknetRound2,
                 rulesText: "1\tskill_levels\tattack,strength\t>=\t2\t3\tMelee levels\n2\ttotal_xp\t*\t>=\t500000\t3\tHalf a million\n",
                 entrants: [("Zezima", 6), ("Woox", 2), ("Lynx Titan", 1), ("B0aty", 1)], winners: 3,
                 wanted: { proof in proof.steps.contains { $0.outcome == .skippedRepeat } }),
            Spec(name: "no-beacon", comment: "no beacon: chain hash, round and randomness are zeros; two winners from N = 3", contestID: 5,
                 endAtMilliseconds: 1_767_225_600_000, beacon: .none, round: nil,
                 rulesText: "1\tskill_xp\tcooking,fishing\t>=\t50000\t1\tSkillers\n", entrants: [("Iron Mammal", 1), ("Settled", 1), ("Verf", 1)], winners: 2),
            Spec(version: .v2, name: "v2-n5", secretOf: "n5", comment: "clanbot-draw-v2: the inputs of n5 (same secret, contest, entries and round 3); only the tag differs, so the seed differs", contestID: 2,
                 endAtMilliseconds: genesis - margin * 1000 + 4000, beacon: .drandQuicknet(marginSeconds: margin), round: quicknetRound3,
                 rulesText: "1\tskill_xp\tslayer\t>=\t120000\t1\tSlayer grind\n2\tboss_kc\tvorkath,zulrah\t>=\t50\t1\tBossing\n",
                 entrants: [("Zezima", 1), ("Lynx_Titan", 2), ("B0aty", 2)], winners: 1),
            Spec(version: .v2, name: "v2-several-winners-repeat-skipped", comment: "clanbot-draw-v2: three winners from N = 7 where one person holds 4 tickets, the secret published at the lock; drand quicknet round 2", contestID: 6,
                 endAtMilliseconds: genesis - margin * 1000 + 1000, beacon: .drandQuicknet(marginSeconds: margin), round: quicknetRound2,
                 rulesText: "1\tboss_kc\tzulrah\t>=\t100\t2\tSnake charmer\n2\ttotal_xp\t*\t>=\t250000\t2\tQuarter million\n",
                 entrants: [("Zezima", 4), ("Woox", 1), ("Lynx Titan", 1), ("B0aty", 1)], winners: 3,
                 wanted: { proof in proof.steps.contains { $0.outcome == .skippedRepeat } }),
            Spec(version: .v2, name: "v2-no-beacon", comment: "clanbot-draw-v2 without a beacon: the lock does not publish the secret (it stays hidden until the draw, as in v1); two winners from N = 4", contestID: 7,
                 endAtMilliseconds: 1_798_761_600_000, beacon: .none, round: nil,
                 rulesText: "1\tclue_count\t*\t>=\t10\t1\tClue chasers\n", entrants: [("Iron Mammal", 2), ("Settled", 1), ("Verf", 1)], winners: 2),
        ]
    }

    static var writing: Bool { ProcessInfo.processInfo.environment["CLANBOT_WRITE_DRAW_VECTORS"] == "1" }

    @Test(.enabled(if: writing)) func searchAndWriteVectors() throws {
        try FileManager.default.createDirectory(at: DrawVectorFiles.directory, withIntermediateDirectories: true)
        for spec in Self.specs {
            var attempt = 0
            while true {
                let secret = try spec.secretOf.map { try #require([UInt8](hexString: DrawVectorFiles.loadDraw($0).proof.secret)) }
                    ?? Digest.sha256(Array("\(spec.version.identifier) test vector \(spec.name) secret \(attempt)".utf8))
                let activation = try DrawCommitment.make(
                    contestID: spec.contestID, endAtMilliseconds: spec.endAtMilliseconds, secret: secret,
                    rulesDigest: Digest.sha256(Array(spec.rulesText.utf8)), beacon: spec.beacon, version: spec.version
                )
                let entries = try EntryList.build(spec.entrants.enumerated().map { EntryList.Entrant(accountID: Int64($0.offset + 1), name: $0.element.0, tickets: $0.element.1) })
                let proof = try DrawScheme.draw(secret: secret, commitment: activation, beacon: spec.round, entries: entries, winners: spec.winners)
                if spec.wanted(proof) {
                    var margin: Int64?
                    if case .drandQuicknet(let seconds) = spec.beacon { margin = seconds }
                    let lock = spec.version == .v2 ? DrawLockRecord(activation: activation, entries: entries, winnersWanted: spec.winners, secret: secret) : nil
                    let vector = DrawVector(comment: spec.comment, marginSeconds: margin, rulesText: spec.rulesText, entriesFile: entries.text, lock: lock, proof: proof)
                    try DrawVectorFiles.encode(vector).write(to: DrawVectorFiles.url(spec.name), atomically: true, encoding: .utf8)
                    break
                }
                try #require(spec.secretOf == nil, "\(spec.name) reuses a secret, so it cannot search")
                attempt += 1
                try #require(attempt < 10_000)
            }
        }
        // The rejection path needs N close to 2^64: N = 2^63 + 1 rejects about half of all x.
        var attempt = 0
        while true {
            let seed = Digest.sha256(Array("clanbot-draw-v1 stream vector seed \(attempt)".utf8))
            let vector = StreamVector.compute(
                comment: "the counter stream alone for N = 2^63 + 1, where 2^64 mod N = 2^63 - 1: values are rejected until one falls below the limit",
                seed: seed, ticketCount: (1 << 63) + 1
            )
            if vector.steps.count >= 3 {
                try DrawVectorFiles.encode(vector).write(to: DrawVectorFiles.url("stream-rejection"), atomically: true, encoding: .utf8)
                break
            }
            attempt += 1
            try #require(attempt < 10_000)
        }
    }
}
