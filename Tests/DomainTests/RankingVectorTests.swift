import Cryptography
import Foundation
import Testing
@testable import Domain

/// A ranked or team contest's result as stored in docs/draw-vectors/ranking-*.json: the committed rules text (kind,
/// points rules, teams), each member's gain per rule, the ranking file, the lock record and the proof.
struct RankingVector: Codable {
    struct Member: Codable {
        var name: String
        /// The amount gained per rule, in rule order.
        var gains: [Int64]
    }

    var comment: String
    var marginSeconds: Int64?
    var rulesText: String
    var members: [Member]
    var entriesFile: String
    var lock: DrawLockRecord?
    var proof: RankingProof

    enum CodingKeys: String, CodingKey {
        case comment, marginSeconds = "margin_seconds", rulesText = "rules_text", members, entriesFile = "entries_file", lock, proof
    }
}

enum RankingVectorFiles {
    static let names = ["ranking-tie-at-boundary", "ranking-teams-tie", "ranking-no-beacon"]

    static func load(_ name: String) throws -> RankingVector {
        try JSONDecoder().decode(RankingVector.self, from: Data(contentsOf: DrawVectorFiles.url(name)))
    }

    /// The points rules and teams of a committed rules text (§8.1), parsed as a reader of the spec would.
    static func parse(_ text: String) throws -> (kind: ContestKind, rules: [(unit: Int64, points: Int64)], teams: [String: [String]]) {
        var kind = ContestKind.raffle
        var rules: [(Int64, Int64)] = []
        var teams: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields[0] == "kind" { kind = try #require(ContestKind(rawValue: fields[1])) }
            else if fields[0] == "team" { teams[fields[1]] = fields[2].split(separator: ",").map(String.init) }
            else { rules.append((try #require(Int64(fields[4])), try #require(Int64(fields[5])))) }
        }
        return (kind, rules, teams)
    }

    /// The ranking file the vector's gains give, computed here from the spec's formula.
    static func expectedFile(_ vector: RankingVector) throws -> String {
        let (kind, rules, teams) = try parse(vector.rulesText)
        var scores: [String: Int64] = [:]
        for member in vector.members {
            scores[member.name] = zip(member.gains, rules).reduce(0) { $0 + ($1.0 / $1.1.unit) * $1.1.points }
        }
        if kind == .teams {
            scores = teams.mapValues { $0.reduce(0) { $0 + (scores[$1] ?? 0) } }
        }
        return scores.filter { $0.value >= 1 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.value)\t\($0.key)\n" }.joined()
    }
}

@Suite struct RankingVectorTests {
    @Test(arguments: RankingVectorFiles.names)
    func theImplementationReproducesEachRankingVector(name: String) throws {
        let vector = try RankingVectorFiles.load(name)
        #expect(vector.entriesFile == (try RankingVectorFiles.expectedFile(vector)))
        let file = try RankingFile.parse(bytes: Array(vector.entriesFile.utf8))
        let secret = try #require([UInt8](hexString: vector.proof.secret))
        let beacon: BeaconChoice = vector.marginSeconds.map { .drandQuicknet(marginSeconds: $0) } ?? .none
        let activation = try DrawCommitment.make(contestID: vector.proof.activation.contestID, endAtMilliseconds: vector.proof.activation.endAtMilliseconds,
                                                 secret: secret, rulesDigest: Digest.sha256(Array(vector.rulesText.utf8)), beacon: beacon,
                                                 version: try #require(vector.proof.activation.version))
        let redone = try RankingScheme.rank(kind: vector.proof.kind, secret: secret, commitment: activation, beacon: vector.proof.beacon,
                                            file: file, places: vector.proof.winnersRequested)
        #expect(redone == vector.proof)
        #expect(redone.json == vector.proof.json)
        let checks = RankingVerifier.verify(proof: vector.proof, rankingFile: Array(vector.entriesFile.utf8))
        #expect(checks.allSatisfy { $0.passed }, "\(checks.filter { !$0.passed })")
        // Without the file the verifier rebuilds it from the proof and gets the same digest.
        #expect(RankingVerifier.verify(proof: vector.proof, rankingFile: nil).allSatisfy { $0.passed })
        if let lock = vector.lock, let round = vector.proof.beacon {
            #expect(try RankingScheme.precompute(lock: lock, beacon: round, file: file) == vector.proof)
            #expect(lock == DrawLockRecord(activation: activation, kind: vector.proof.kind, ranking: file, places: vector.proof.winnersRequested, secret: secret))
        }
    }

    @Test func eachVectorHasATieTheKeysDecideAgainstNameOrder() throws {
        let boundary = try RankingVectorFiles.load("ranking-tie-at-boundary").proof
        #expect(boundary.tieAtPrizeBoundary)
        let teams = try RankingVectorFiles.load("ranking-teams-tie").proof
        #expect(teams.kind == .teams && teams.tieAtPrizeBoundary)
        let none = try RankingVectorFiles.load("ranking-no-beacon").proof
        #expect(none.activation.randomness == .none && none.tieAtPrizeBoundary)
        for proof in [boundary, teams, none] {
            let seed = try #require([UInt8](hexString: proof.seed))
            for line in proof.ranking where line.tied {
                #expect(line.key == TieBreak.key(seed: seed, name: line.name).hexString)
            }
            // The tied winner is not simply the first tied name by bytes: the key decided.
            let tiedAtBoundary = proof.ranking.filter { $0.score == proof.winners.last?.score }
            #expect(tiedAtBoundary.count >= 2)
        }
        #expect([boundary, teams, none].contains { proof in
            let tied = proof.ranking.filter { $0.score == proof.winners.last?.score }.map(\.name)
            return tied != tied.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        })
    }

    @Test func theVerifierFailsATieOrderedByHandAndATamperedFile() throws {
        let vector = try RankingVectorFiles.load("ranking-tie-at-boundary")
        var swapped = vector.proof
        let tied = swapped.ranking.indices.filter { swapped.ranking[$0].score == swapped.winners.last?.score }
        let (a, b) = (tied[0], tied[1])
        let (nameA, keyA) = (swapped.ranking[a].name, swapped.ranking[a].key)
        swapped.ranking[a].name = swapped.ranking[b].name
        swapped.ranking[a].key = swapped.ranking[b].key
        swapped.ranking[b].name = nameA
        swapped.ranking[b].key = keyA
        let checks = RankingVerifier.verify(proof: swapped, rankingFile: Array(vector.entriesFile.utf8))
        #expect(checks.first { $0.name == "ranking" }?.passed == false)
        #expect(checks.first { $0.name == "winners" }?.passed == false)
        let tampered = vector.entriesFile.replacingOccurrences(of: "\n", with: "\n", options: [], range: nil) + "1\tzzz\n"
        let fileChecks = RankingVerifier.verify(proof: vector.proof, rankingFile: Array(tampered.utf8))
        #expect(fileChecks.first { $0.name == "entries digest" }?.passed == false)
        #expect(fileChecks.first { $0.name == "seed" }?.passed == false)
    }

    @Test func theSpecShowsEachRankingVector() throws {
        let spec = try String(contentsOf: DrawVectorFiles.root.appendingPathComponent("docs/draw-scheme.md"), encoding: .utf8)
        for name in RankingVectorFiles.names {
            let proof = try RankingVectorFiles.load(name).proof
            #expect(spec.contains(proof.seed), "docs/draw-scheme.md does not show the seed of \(name)")
            for line in proof.ranking where line.tied { #expect(spec.contains(line.key ?? "-"), "\(name): key of \(line.name)") }
        }
    }

    @Test func theRankingFileIsReadStrictly() throws {
        let good = try RankingFile.build([.init(name: "Zezima", score: 5), .init(name: "B0aty", score: 5), .init(name: "Woox", score: 9)])
        #expect(good.text == "9\twoox\n5\tb0aty\n5\tzezima\n")
        #expect(try RankingFile.parse(bytes: good.bytes) == good)
        for bad in ["5\tb0aty\n9\twoox\n", "9\twoox", "09\twoox\n", "0\twoox\n", "9\tWoox\n", "9 woox\n", "9\twoox\n9\twoox\n", "9\twoox\r\n", ""] {
            #expect(throws: RankingFileError.self, "\(bad.debugDescription)") { try RankingFile.parse(bytes: Array(bad.utf8)) }
        }
        #expect(throws: RankingFileError.duplicateName("woox")) { try RankingFile.build([.init(name: "Woox", score: 1), .init(name: "woox", score: 2)]) }
        #expect(throws: RankingFileError.scoreBelowOne(name: "woox", score: 0)) { try RankingFile.build([.init(name: "Woox", score: 0)]) }
    }

    // MARK: - writing the vectors (off unless CLANBOT_WRITE_DRAW_VECTORS=1)

    struct Spec {
        var name: String
        var comment: String
        var contestID: Int64
        var endAtMilliseconds: Int64
        var beacon: BeaconChoice
        var round: BeaconRound?
        var kind: ContestKind
        var rules: [ContestRule]
        var teams: [ContestTeam] = []
        var members: [RankingVector.Member]
        var places: Int
    }

    static var specs: [Spec] {
        get throws {
            let genesis = DrandQuicknet.genesisSeconds * 1000
            let margin: Int64 = 900
            let points = [
                try ContestRule(position: 1, kind: .skillXP, targets: ["Slayer"], threshold: 10_000, weight: 1, title: "Slayer"),
                try ContestRule(position: 2, kind: .bossKC, targets: ["Zulrah"], threshold: 1, weight: 3, title: "Zulrah"),
                try ContestRule(position: 3, kind: .clueCount, targets: ["elite"], threshold: 1, weight: 10, title: "Elite clues"),
            ]
            let teamRules = [
                try ContestRule(position: 1, kind: .bossKC, targets: ["Vorkath"], threshold: 1, weight: 1, title: "Vorkath"),
                try ContestRule(position: 2, kind: .totalXP, targets: [], threshold: 50_000, weight: 1, title: "Total xp"),
            ]
            return [
                Spec(name: "ranking-tie-at-boundary",
                     comment: "ranked points contest (1 per 10,000 Slayer xp, 3 per Zulrah kill, 10 per elite clue), 2 prize places; woox and b0aty tie on 60 points at the boundary, lynx titan and settled on 40; drand quicknet round 2",
                     contestID: 8, endAtMilliseconds: genesis - margin * 1000 + 2000, beacon: .drandQuicknet(marginSeconds: margin),
                     round: DrawVectorTests.quicknetRound2, kind: .ranked, rules: points,
                     members: [.init(name: "zezima", gains: [250_000, 10, 2]), .init(name: "woox", gains: [99_999, 17, 0]),
                               .init(name: "b0aty", gains: [300_000, 0, 3]), .init(name: "lynx titan", gains: [159_999, 5, 1]),
                               .init(name: "settled", gains: [400_000, 0, 0]), .init(name: "verf", gains: [9_999, 0, 0]),
                               .init(name: "iron mammal", gains: [50_000, 0, 0])],
                     places: 2),
                Spec(name: "ranking-teams-tie",
                     comment: "teams contest (1 per Vorkath kill, 1 per 50,000 total xp), 1 prize place; red dragons and blue moons tie on 33 points; drand quicknet round 3",
                     contestID: 9, endAtMilliseconds: genesis - margin * 1000 + 5000, beacon: .drandQuicknet(marginSeconds: margin),
                     round: DrawVectorTests.quicknetRound3, kind: .teams, rules: teamRules,
                     teams: [try ContestTeam(name: "Red Dragons", members: ["Zezima", "Woox"]), try ContestTeam(name: "Blue Moons", members: ["B0aty", "Lynx Titan"]),
                             try ContestTeam(name: "Green", members: ["Settled"])],
                     members: [.init(name: "zezima", gains: [20, 120_000]), .init(name: "woox", gains: [5, 349_999]),
                               .init(name: "b0aty", gains: [30, 0]), .init(name: "lynx titan", gains: [0, 150_000]),
                               .init(name: "settled", gains: [10, 100_000])],
                     places: 1),
                Spec(name: "ranking-no-beacon",
                     comment: "ranked contest without a beacon (1 point per clue), 1 prize place; alpha, bravo and charlie tie on 7",
                     contestID: 10, endAtMilliseconds: 1_798_761_600_000, beacon: .none, round: nil, kind: .ranked,
                     rules: [try ContestRule(position: 1, kind: .clueCount, targets: [], threshold: 1, weight: 1, title: "Clues")],
                     members: [.init(name: "alpha", gains: [7]), .init(name: "bravo", gains: [7]), .init(name: "charlie", gains: [7]), .init(name: "delta", gains: [3])],
                     places: 1),
            ]
        }
    }

    @Test(.enabled(if: DrawVectorTests.writing)) func searchAndWriteRankingVectors() throws {
        for spec in try Self.specs {
            var contest = try Contest(id: spec.contestID, clanID: 1, name: spec.name, startAt: Date(timeIntervalSince1970: 0),
                                      endAt: DrawClock.date(milliseconds: spec.endAtMilliseconds), winnersCount: spec.places, kind: spec.kind)
            contest.rules = spec.rules
            contest.teams = spec.teams
            let scores = Dictionary(uniqueKeysWithValues: spec.members.map { member in
                (member.name, zip(member.gains, spec.rules).reduce(Int64(0)) { $0 + PointsScoring.points(gained: $1.0, unit: $1.1.threshold, pointsPerUnit: $1.1.weight) })
            })
            let lines: [RankingFile.Line] = spec.kind == .teams
                ? spec.teams.map { team in .init(name: team.normalisedName, score: team.normalisedMembers.reduce(0) { $0 + (scores[$1] ?? 0) }) }
                : scores.map { .init(name: $0.key, score: $0.value) }
            let file = try RankingFile.build(lines.filter { $0.score >= 1 }, maximumNameLength: ContestTeam.maximumNameLength)
            var attempt = 0
            while true {
                let secret = Digest.sha256(Array("clanbot-draw-v2 test vector \(spec.name) secret \(attempt)".utf8))
                let activation = try DrawCommitment.make(contestID: spec.contestID, endAtMilliseconds: spec.endAtMilliseconds, secret: secret,
                                                         rulesDigest: contest.rulesDigest, beacon: spec.beacon, version: .v2)
                let proof = try RankingScheme.rank(kind: spec.kind, secret: secret, commitment: activation, beacon: spec.round, file: file, places: spec.places)
                // Wanted: the key puts a tied name ahead of one that sorts before it, so name order is visibly not the rule.
                let tied = proof.ranking.filter { $0.score == proof.winners.last?.score }.map(\.name)
                if tied != tied.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                    var margin: Int64?
                    if case .drandQuicknet(let seconds) = spec.beacon { margin = seconds }
                    let lock = DrawLockRecord(activation: activation, kind: spec.kind, ranking: file, places: spec.places, secret: secret)
                    let vector = RankingVector(comment: spec.comment, marginSeconds: margin, rulesText: contest.rulesText, members: spec.members,
                                               entriesFile: file.text, lock: lock, proof: proof)
                    try DrawVectorFiles.encode(vector).write(to: DrawVectorFiles.url(spec.name), atomically: true, encoding: .utf8)
                    break
                }
                attempt += 1
                try #require(attempt < 1000)
            }
        }
    }
}
