import Cryptography
import Foundation
import Testing
@testable import Domain

/// A contest set up by hand: secret, activation on quicknet round 3, five tickets.
struct DrawFixture {
    var secret: [UInt8] = Digest.sha256(Array("draw fixture".utf8))
    var beacon = BeaconRound(round: 3, signature: [UInt8](hexString: BeaconRoundTests.signature) ?? [])
    var entries: EntryList
    var commitment: DrawCommitment

    init(beacon choice: BeaconChoice = .drandQuicknet(marginSeconds: 900)) throws {
        entries = try EntryList.build([
            .init(accountID: 1, name: "Zezima", tickets: 1), .init(accountID: 2, name: "Lynx Titan", tickets: 2), .init(accountID: 3, name: "B0aty", tickets: 2),
        ])
        // Ends so that end + 900 s falls just after round 2: the committed round is 3.
        let end = DrandQuicknet.genesisSeconds * 1000 - 900_000 + 4000
        commitment = try DrawCommitment.make(contestID: 2, endAtMilliseconds: end, secret: secret, rulesDigest: Digest.sha256([]), beacon: choice)
    }

    func draw(winners: Int = 1) throws -> DrawProof {
        try DrawScheme.draw(secret: secret, commitment: commitment, beacon: commitment.randomness == .none ? nil : beacon, entries: entries, winners: winners)
    }
}

@Suite struct DrawSchemeTests {
    @Test func theSeedInputHasFixedWidthFields() throws {
        let input = try DrawScheme.seedInput(version: .v1, contestID: 0x0102, chainHash: Array(repeating: 0xCC, count: 32), round: 0x0A0B, entriesDigest: Array(repeating: 0xDD, count: 32), randomness: Array(repeating: 0xEE, count: 32))
        #expect(input.count == DrawScheme.seedInputLength)
        #expect(Array(input[0..<16]) == Array("clanbot-draw-v1".utf8) + [0])
        #expect(Array(input[16..<24]) == [0, 0, 0, 0, 0, 0, 1, 2])
        #expect(Array(input[56..<64]) == [0, 0, 0, 0, 0, 0, 0x0A, 0x0B])
        let v2 = try DrawScheme.seedInput(version: .v2, contestID: 0x0102, chainHash: Array(repeating: 0xCC, count: 32), round: 0x0A0B, entriesDigest: Array(repeating: 0xDD, count: 32), randomness: Array(repeating: 0xEE, count: 32))
        #expect(Array(v2[0..<16]) == Array("clanbot-draw-v2".utf8) + [0])
        #expect(v2[16...] == input[16...])
        #expect(throws: DrawError.self) { try DrawScheme.seedInput(version: .v2, contestID: 1, chainHash: [1], round: 1, entriesDigest: Array(repeating: 0, count: 32), randomness: Array(repeating: 0, count: 32)) }
    }

    @Test func theAcceptanceLimitIsAMultipleOfN() {
        #expect(DrawScheme.acceptanceLimit(ticketCount: 1) == "18446744073709551616")
        #expect(DrawScheme.acceptanceLimit(ticketCount: 8) == "18446744073709551616")
        #expect(DrawScheme.acceptanceLimit(ticketCount: 5) == "18446744073709551615")  // 2^64 mod 5 = 1
        #expect(DrawScheme.rejectedTail(ticketCount: 3) == 1)  // 2^64 = 3·6148914691236517205 + 1
        #expect(DrawScheme.rejectedTail(ticketCount: (UInt64(1) << 63) + 1) == (UInt64(1) << 63) - 1)
    }

    @Test func valuesAtOrAboveTheLimitAreRejected() {
        // For N = 2^63 + 1 the limit is N itself: a value is rejected exactly when x ≥ N.
        let count: UInt64 = (1 << 63) + 1
        let seed = Digest.sha256(Array("rejection".utf8))
        for counter: UInt32 in 0..<64 {
            let sample = DrawScheme.sample(seed: seed, counter: counter, ticketCount: count)
            #expect(sample.accepted == (sample.x < count))
            #expect(sample.x == sample.block.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }

    @Test func eachTicketIsChosenAboutEquallyOften() {
        // Deterministic: 30,000 stream values for N = 3; each index should get close to 10,000.
        let seed = Digest.sha256(Array("uniformity".utf8))
        var counts = [0, 0, 0]
        for counter: UInt32 in 0..<30_000 {
            if let index = DrawScheme.sample(seed: seed, counter: counter, ticketCount: 3).index { counts[Int(index)] += 1 }
        }
        for count in counts { #expect((9_500...10_500).contains(count), "\(counts)") }
    }

    @Test func theProofRoundTripsThroughStableJSON() throws {
        let proof = try DrawFixture().draw(winners: 2)
        let decoded = try DrawProof.decode(json: Data(proof.json.utf8))
        #expect(decoded == proof)
        #expect(decoded.json == proof.json)
        #expect(proof.winners.count == 2)
        #expect(Set(proof.winners.map(\.name)).count == 2)
        #expect(proof.recipe.contains("clanbot verify --proof proof.json --entries entries.txt"))
        #expect(proof.recipe.contains("round 3"))
        #expect(proof.recipe.count < 1024)  // fits one Discord embed field
    }

    @Test func drawingTwiceGivesTheSameProof() throws {
        let fixture = try DrawFixture()
        #expect(try fixture.draw(winners: 3) == fixture.draw(winners: 3))
    }

    @Test func theDrawRefusesWhatIsNotCommitted() throws {
        var fixture = try DrawFixture()
        #expect(throws: DrawError.winnersBelowOne(0)) { try fixture.draw(winners: 0) }
        #expect(throws: DrawError.notEnoughEntrants(requested: 4, distinct: 3)) { try fixture.draw(winners: 4) }
        let good = fixture.secret
        fixture.secret = Digest.sha256(Array("another secret".utf8))
        #expect(throws: DrawError.secretDoesNotMatchCommitment) { try fixture.draw() }
        fixture.secret = Array(good.prefix(16))
        #expect(throws: DrawError.secretLength(16)) { try fixture.draw() }
        fixture.secret = good
        fixture.beacon.round = 4
        #expect(throws: DrawError.beacon(.wrongRound(expected: 3, got: 4))) { try fixture.draw() }
        fixture.beacon.round = 3
        fixture.beacon.randomness = String(repeating: "00", count: 32)
        #expect { try fixture.draw() } throws: { error in
            guard case DrawError.beacon(.randomnessMismatch) = error else { return false }
            return true
        }
        let withoutBeacon = try DrawFixture()
        #expect(throws: DrawError.beaconMissing(round: 3)) {
            try DrawScheme.draw(secret: withoutBeacon.secret, commitment: withoutBeacon.commitment, beacon: nil, entries: withoutBeacon.entries, winners: 1)
        }
        let none = try DrawFixture(beacon: .none)
        #expect(throws: DrawError.beaconNotExpected) {
            try DrawScheme.draw(secret: none.secret, commitment: none.commitment, beacon: none.beacon, entries: none.entries, winners: 1)
        }
        #expect(try none.draw().beacon == nil)
    }

    @Test func aProofThatIsNotAProofIsAClearError() {
        #expect { try DrawProof.decode(json: Data("{}".utf8)) } throws: { "\($0)".contains("the proof has no") }
        #expect { try DrawProof.decode(json: Data("not json".utf8)) } throws: { "\($0)".contains("not valid") }
    }
}

@Suite struct DrawVerifierTests {
    func failures(_ checks: [DrawCheck]) -> Set<String> { Set(checks.filter { !$0.passed }.map(\.name)) }

    @Test func anUntouchedProofPassesWithAndWithoutTheEntryFile() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw(winners: 2)
        let published = PublishedValues(contestID: 2, commitment: fixture.commitment.commitment, round: 3, entriesDigest: fixture.entries.digest.hexString, ticketCount: 5, winners: proof.winners.map(\.name))
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: fixture.entries.bytes, published: published)).isEmpty)
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: nil)).isEmpty)
        #expect(DrawVerifier.notes(proof: proof, entryFileGiven: false).contains { $0.contains("--entries") })
    }

    @Test func aChangedSecretFailsTheCommitmentAndTheSeed() throws {
        let fixture = try DrawFixture()
        var proof = try fixture.draw()
        proof.secret = Digest.sha256(Array("forged".utf8)).hexString
        let failed = failures(DrawVerifier.verify(proof: proof, entryFile: fixture.entries.bytes))
        #expect(failed.isSuperset(of: ["commitment", "seed"]))
    }

    @Test func aProofOfAnUnknownOrMismatchedSchemeFails() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw()
        var unknown = proof
        unknown.activation.scheme = "clanbot-draw-v9"
        unknown.scheme = "clanbot-draw-v9"
        let checks = DrawVerifier.verify(proof: unknown, entryFile: fixture.entries.bytes)
        #expect(failures(checks) == ["scheme"])
        #expect(checks.first?.detail.contains("clanbot-draw-v1 or clanbot-draw-v2") == true)
        var mixed = proof
        mixed.scheme = DrawSchemeVersion.v1.identifier
        #expect(failures(DrawVerifier.verify(proof: mixed, entryFile: fixture.entries.bytes)) == ["scheme"])
        #expect(throws: DrawError.unknownScheme("clanbot-draw-v9")) {
            try DrawScheme.draw(secret: fixture.secret, commitment: unknown.activation, beacon: fixture.beacon, entries: fixture.entries, winners: 1)
        }
    }

    @Test func theSameInputsDrawDifferentlyUnderV1AndV2AndEachVerifiesAsItself() throws {
        var fixture = try DrawFixture()
        let v2 = try fixture.draw(winners: 2)
        fixture.commitment.scheme = DrawSchemeVersion.v1.identifier
        let v1 = try fixture.draw(winners: 2)
        #expect(v1.scheme == "clanbot-draw-v1" && v2.scheme == "clanbot-draw-v2")
        #expect(v1.seed != v2.seed)
        #expect(failures(DrawVerifier.verify(proof: v1, entryFile: fixture.entries.bytes)).isEmpty)
        #expect(failures(DrawVerifier.verify(proof: v2, entryFile: fixture.entries.bytes)).isEmpty)
        #expect(v2.recipe.contains("\"clanbot-draw-v2\\0\"") && v1.recipe.contains("\"clanbot-draw-v1\\0\""))
        #expect(DrawVerifier.notes(proof: v2, entryFileGiven: true).contains { $0.contains("published when the entries locked") })
        #expect(!DrawVerifier.notes(proof: v1, entryFileGiven: true).contains { $0.contains("published when the entries locked") })
    }

    @Test func aChangedEntryFileFailsItsDigest() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw()
        let swapped = Array(fixture.entries.text.replacingOccurrences(of: "zezima", with: "zezimb").utf8)
        let failed = failures(DrawVerifier.verify(proof: proof, entryFile: swapped))
        #expect(failed.contains("entries digest"))
        #expect(failed.contains("seed input"))
        let added = fixture.entries.bytes + Array("zz\n".utf8)
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: added)).isSuperset(of: ["entries digest", "ticket count"]))
        let garbled = Array("Zezima\r\n".utf8)
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: garbled)).contains("entry file format"))
    }

    @Test func aChangedRoundOrRandomnessFails() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw()
        var later = proof
        later.beacon?.round = 4
        #expect(failures(DrawVerifier.verify(proof: later, entryFile: fixture.entries.bytes)).contains("beacon round"))
        var moved = proof
        moved.activation.randomness = .drandQuicknet(round: 4)
        moved.beacon?.round = 4
        #expect(failures(DrawVerifier.verify(proof: moved, entryFile: fixture.entries.bytes)).isSuperset(of: ["seed input", "seed"]))
        var early = proof
        early.activation.endAtMilliseconds = DrandQuicknet.publicationMilliseconds(ofRound: 3)  // the beacon was known at the end
        #expect(failures(DrawVerifier.verify(proof: early, entryFile: fixture.entries.bytes)) == ["round timing"])
        var other = proof
        other.beacon?.randomness = Digest.sha256(Array("other".utf8)).hexString
        #expect(failures(DrawVerifier.verify(proof: other, entryFile: fixture.entries.bytes)).contains("beacon randomness"))
        var stripped = proof
        stripped.beacon = nil
        #expect(failures(DrawVerifier.verify(proof: stripped, entryFile: nil)).contains("beacon round"))
    }

    @Test func aChangedWinnerOrStepFails() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw()
        var renamed = proof
        renamed.winners[0].name = "someone else"
        #expect(failures(DrawVerifier.verify(proof: renamed, entryFile: fixture.entries.bytes)).contains("winners"))
        var step = proof
        step.steps[0].x = "0000000000000000"
        #expect(failures(DrawVerifier.verify(proof: step, entryFile: fixture.entries.bytes)).contains("counter 0"))
        var extra = proof
        extra.steps.append(proof.steps[0])
        #expect(failures(DrawVerifier.verify(proof: extra, entryFile: fixture.entries.bytes)).contains("steps"))
    }

    @Test func publishedValuesThatDifferFromTheProofFail() throws {
        let fixture = try DrawFixture()
        let proof = try fixture.draw()
        let published = PublishedValues(contestID: 3, commitment: String(repeating: "0", count: 64), round: 9, entriesDigest: "00", ticketCount: 6, winners: ["nobody"])
        let failed = failures(DrawVerifier.verify(proof: proof, entryFile: fixture.entries.bytes, published: published))
        #expect(failed == ["published contest id", "published commitment", "published round", "published entries digest", "published ticket count", "published winners"])
    }

    @Test func impossibleWinnerCountsFailInsteadOfLooping() throws {
        let fixture = try DrawFixture()
        var proof = try fixture.draw()
        proof.winnersRequested = 50
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: fixture.entries.bytes)).contains("winners"))
        #expect(failures(DrawVerifier.verify(proof: proof, entryFile: nil)).contains("winners"))
    }
}
