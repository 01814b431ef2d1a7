import Cryptography
import Foundation
import Testing
@testable import Domain

@Suite struct FairnessTimingTests {
    let genesis = DrandQuicknet.genesisSeconds * 1000

    @Test func roundsArePublishedEveryThreeSecondsFromGenesis() {
        #expect(DrandQuicknet.publicationMilliseconds(ofRound: 1) == genesis)
        #expect(DrandQuicknet.publicationMilliseconds(ofRound: 3) == genesis + 6000)
        #expect(DrandQuicknet.path(ofRound: 7) == "/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/7")
    }

    @Test func theCommittedRoundIsTheFirstPublishedStrictlyAfterTheTime() {
        #expect(DrandQuicknet.firstRound(afterMilliseconds: genesis - 1) == 1)
        #expect(DrandQuicknet.firstRound(afterMilliseconds: genesis) == 2)
        for round: UInt64 in [2, 3, 1000, 12_345_678] {
            let time = DrandQuicknet.publicationMilliseconds(ofRound: round)
            #expect(DrandQuicknet.firstRound(afterMilliseconds: time - 1) == round)
            #expect(DrandQuicknet.firstRound(afterMilliseconds: time) == round + 1)
        }
    }

    @Test func activationFixesTheRoundAfterEndPlusMargin() throws {
        let end = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let commitment = try DrawCommitment.make(contestID: 9, endAt: end, secret: Array(repeating: 7, count: 32), rulesDigest: Digest.sha256([]), beacon: .standard)
        guard case .drandQuicknet(let round) = commitment.randomness else {
            Issue.record("the default is drand quicknet")
            return
        }
        #expect(BeaconChoice.standard == .drandQuicknet(marginSeconds: 900))
        let published = DrandQuicknet.publicationMilliseconds(ofRound: round)
        #expect(published > 1_767_225_600_000 + 900_000)
        #expect(published - 3000 <= 1_767_225_600_000 + 900_000)
        #expect(commitment.beaconPublicationTime == DrandQuicknet.publicationTime(ofRound: round))
        #expect(commitment.commitment == Digest.sha256(Array(repeating: 7, count: 32)).hexString)
        #expect(commitment.announcement.contains("round \(round)"))
    }

    @Test func withoutABeaconTheAnnouncementCarriesTheWarning() throws {
        let commitment = try DrawCommitment.make(contestID: 1, endAtMilliseconds: 0, secret: Array(repeating: 1, count: 32), rulesDigest: Digest.sha256([]), beacon: .none)
        #expect(commitment.randomness == .none)
        #expect(commitment.announcement.contains("no external randomness: the host could predict the draw"))
        #expect(commitment.beaconPublicationTime == nil)
        let json = String(decoding: try JSONEncoder().encode(commitment), as: UTF8.self)
        #expect(json.contains("no external randomness"))
        #expect(try JSONDecoder().decode(DrawCommitment.self, from: Data(json.utf8)) == commitment)
    }

    @Test func activationRefusesBadInputs() {
        let digest = Digest.sha256([])
        #expect(throws: DrawError.secretLength(31)) {
            try DrawCommitment.make(contestID: 1, endAtMilliseconds: 0, secret: Array(repeating: 0, count: 31), rulesDigest: digest, beacon: .standard)
        }
        #expect(throws: DrawError.invalidContestID(-1)) {
            try DrawCommitment.make(contestID: -1, endAtMilliseconds: 0, secret: Array(repeating: 0, count: 32), rulesDigest: digest, beacon: .standard)
        }
        #expect(throws: DrawError.self) {
            try DrawCommitment.make(contestID: 1, endAtMilliseconds: 0, secret: Array(repeating: 0, count: 32), rulesDigest: digest, beacon: .drandQuicknet(marginSeconds: -5))
        }
        #expect(throws: DrawError.self) {
            try DrawCommitment.make(contestID: 1, endAtMilliseconds: 0, secret: Array(repeating: 0, count: 32), rulesDigest: [1, 2], beacon: .none)
        }
    }

    @Test func theRandomnessModeDecoderRefusesOtherChainsAndModes() {
        let otherChain = #"{"mode":"drand-quicknet","chain_hash":"8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce","round":5}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RandomnessMode.self, from: Data(otherChain.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RandomnessMode.self, from: Data(#"{"mode":"dice"}"#.utf8)) }
    }
}

@Suite struct BeaconRoundTests {
    static let signature = "b3fab6df720b68cc47175f2c777e86d84187caab5770906f515ff1099cb01e4deaa027075d860823e49477b93c72bd64"

    @Test func aRelayAnswerIsParsedAndValidated() throws {
        let randomness = Digest.sha256([UInt8](hexString: Self.signature) ?? []).hexString
        let json = #"{"round":3,"randomness":"\#(randomness.uppercased())","signature":"\#(Self.signature)","previous_signature":"ignored"}"#
        let beacon = try BeaconRound.parse(json: Data(json.utf8))
        #expect(beacon.round == 3)
        #expect(beacon.randomness == randomness)
        try beacon.validate(expectedRound: 3)
    }

    @Test func theWrongRoundIsRefused() throws {
        let beacon = BeaconRound(round: 4, signature: [UInt8](hexString: Self.signature) ?? [])
        #expect(throws: BeaconError.wrongRound(expected: 3, got: 4)) { try beacon.validate(expectedRound: 3) }
    }

    @Test func randomnessThatIsNotTheHashOfTheSignatureIsRefused() {
        let beacon = BeaconRound(round: 3, randomness: String(repeating: "ab", count: 32), signature: Self.signature)
        #expect {
            try beacon.validate(expectedRound: 3)
        } throws: { error in
            guard case BeaconError.randomnessMismatch(3, _, _) = error else { return false }
            return "\(error)".contains("corrupt or forged")
        }
    }

    @Test func aSignatureOfTheWrongSizeOrNotHexIsRefused() {
        for signature in ["abcd", "zz" + Self.signature.dropFirst(2), Self.signature + "00"] {
            let beacon = BeaconRound(round: 3, randomness: Digest.sha256([UInt8](hexString: signature) ?? []).hexString, signature: signature)
            #expect(throws: BeaconError.self) { try beacon.validate(expectedRound: 3) }
        }
    }

    @Test func somethingThatIsNotABeaconIsAClearError() {
        for body in ["", "<html>502 Bad Gateway</html>", #"{"round":"three"}"#, #"{"randomness":"00"}"#] {
            #expect {
                try BeaconRound.parse(json: Data(body.utf8))
            } throws: { error in
                "\(error)".contains("not a beacon round")
            }
        }
    }
}

@Suite struct EntryListTests {
    @Test func namesAreNormalisedLikeTheGameTreatsThem() {
        #expect(EntryList.normalise("Lynx_Titan") == "lynx titan")
        #expect(EntryList.normalise("  B0aty ") == "b0aty")
        #expect(EntryList.normalise("Iron-Mammal") == "iron mammal")
        #expect(EntryList.normalise("Zezima\u{00A0}") == "zezima")
        #expect(EntryList.normalise("twelve chars") == "twelve chars")
        #expect(EntryList.normalise("thirteen char") == nil)
        #expect(EntryList.normalise("") == nil)
        #expect(EntryList.normalise("   ") == nil)
        #expect(EntryList.normalise("émile") == nil)
        #expect(EntryList.normalise("a\tb") == "a b")
        #expect(EntryList.normalise("tab\nname") == "tab name")
        #expect(EntryList.normalise("semi;colon") == nil)
    }

    @Test func weightsAreExpandedSummedAndSortedByBytes() throws {
        let list = try EntryList.build([
            .init(accountID: 1, name: "Zezima", tickets: 1),
            .init(accountID: 2, name: "Lynx_Titan", tickets: 2),
            .init(accountID: 3, name: "B0aty", tickets: 1),
            .init(accountID: 2, name: "lynx titan", tickets: 1),  // a second rule of the same account
            .init(accountID: 4, name: "1 def pure", tickets: 1),
        ])
        #expect(list.tickets == ["1 def pure", "b0aty", "lynx titan", "lynx titan", "lynx titan", "zezima"])
        #expect(list.text == "1 def pure\nb0aty\nlynx titan\nlynx titan\nlynx titan\nzezima\n")
        #expect(list.count == 6)
        #expect(list.distinctNames == 4)
        #expect(list.digest == Digest.sha256(Array(list.text.utf8)))
        #expect(list.ticketsByName.map(\.tickets) == [1, 1, 3, 1])
        #expect(try EntryList.parse(text: list.text) == list)
    }

    @Test func theBuilderRefusesWhatTheFileCouldNotExpress() {
        #expect(throws: EntryListError.sameNameForTwoAccounts(name: "zezima", firstAccount: 1, secondAccount: 2)) {
            try EntryList.build([.init(accountID: 1, name: "Zezima", tickets: 1), .init(accountID: 2, name: "zezima", tickets: 1)])
        }
        #expect(throws: EntryListError.invalidTicketCount(name: "zezima", tickets: 0)) {
            try EntryList.build([.init(accountID: 1, name: "Zezima", tickets: 0)])
        }
        #expect(throws: EntryListError.invalidName("no/slashes")) {
            try EntryList.build([.init(accountID: 1, name: "no/slashes", tickets: 1)])
        }
        #expect(throws: EntryListError.empty) { try EntryList.build([]) }
        #expect(throws: EntryListError.tooManyTickets(EntryList.maximumTickets + 1)) {
            try EntryList.build([.init(accountID: 1, name: "a", tickets: EntryList.maximumTickets), .init(accountID: 2, name: "b", tickets: 1)])
        }
    }

    @Test func aDownloadedFileIsReadStrictly() {
        let cases: [(String, EntryListError)] = [
            ("", .empty),
            ("\u{FEFF}zezima\n", .byteOrderMark),
            ("b0aty\nzezima", .missingFinalNewline),
            ("b0aty\r\nzezima\r\n", .carriageReturn(line: 1)),
            ("b0aty\n\nzezima\n", .emptyLine(line: 2)),
            ("b0aty\nZezima\n", .notNormalised(line: 2, text: "Zezima", expected: "zezima")),
            ("b0aty\n zezima\n", .notNormalised(line: 2, text: " zezima", expected: "zezima")),
            ("b0aty\nno/slash\n", .notNormalised(line: 2, text: "no/slash", expected: nil)),
            ("zezima\nb0aty\n", .outOfOrder(line: 2, text: "b0aty", previous: "zezima")),
            ("woox\nzezima\nwoox\n", .outOfOrder(line: 3, text: "woox", previous: "zezima")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try EntryList.parse(text: text) }
        }
        #expect(throws: EntryListError.notUTF8(line: 1)) { try EntryList.parse(bytes: [0xFF, 0xFE, 0x0A]) }
        // Every error names the line and says what is expected.
        #expect(EntryListError.outOfOrder(line: 3, text: "a", previous: "b").description.contains("line 3"))
    }
}

@Suite struct DrawStorageMappingTests {
    @Test func theRandomnessModeRoundTripsThroughItsColumns() throws {
        for mode in [RandomnessMode.drandQuicknet(round: 12_345), .none] {
            #expect(try RandomnessMode(storedMode: mode.storedMode, chain: mode.storedChain, round: mode.storedRound) == mode)
        }
        #expect(throws: DrawError.self) { try RandomnessMode(storedMode: "drand", chain: "8990e7a9", round: 5) }
        #expect(throws: DrawError.self) { try RandomnessMode(storedMode: "drand", chain: DrandQuicknet.chainHash, round: nil) }
        #expect(throws: DrawError.self) { try RandomnessMode(storedMode: "dice", chain: nil, round: nil) }
    }

    @Test func eachWinnerBecomesOneDrawRow() throws {
        let proof = try DrawVectorFiles.loadDraw("several-winners-repeat-skipped").proof
        let rows = proof.winnerRows
        #expect(rows.map(\.position) == [1, 2, 3])
        #expect(rows.map(\.name) == proof.winners.map(\.name))
        #expect(rows.map(\.counter) == proof.winners.map { Int64($0.counter) })
        #expect(rows.allSatisfy { $0.seedReveal == proof.secret && $0.beaconRound == 2 })
        let vector = try DrawVectorFiles.loadDraw("n5")
        #expect(DrawVerifier.verify(proof: vector.proof, entryFileText: vector.entriesFile).allSatisfy { $0.passed })
    }
}
