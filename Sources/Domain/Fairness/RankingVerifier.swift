import Cryptography
import Foundation

/// Recomputes a ranked or team contest's result from its proof and (when given) the downloaded ranking file: the
/// checks a draw has (scheme, secret, beacon, seed), then each tie-break key and the final order (§8.5).
public enum RankingVerifier {
    public static func verify(proof: RankingProof, rankingFile: [UInt8]?, published: PublishedValues = PublishedValues(),
                              drandPublicKey: DrandPublicKey = .quicknet) -> [DrawCheck] {
        var checks: [DrawCheck] = []
        func check(_ name: String, _ passed: Bool, _ detail: String) {
            checks.append(DrawCheck(name: name, passed: passed, detail: detail))
        }
        check("kind", proof.kind.scoresPoints, proof.kind.scoresPoints ? "\(proof.kind.rawValue): the top \(proof.winnersRequested) by score win; ties by the committed draw"
              : "a raffle's proof cannot be checked as a ranking")
        guard proof.kind.scoresPoints,
              let material = DrawVerifier.checkSeedMaterial(
                scheme: proof.scheme, activation: proof.activation, secretHex: proof.secret, beacon: proof.beacon, entries: proof.entries,
                published: published, drandPublicKey: drandPublicKey, check: check) else { return checks }

        // The ranking file: taken from the download when given, else rebuilt from the proof's lines.
        var file: RankingFile?
        var digest = [UInt8](hexString: proof.entries.digest) ?? []
        if let rankingFile {
            do {
                let parsed = try RankingFile.parse(bytes: rankingFile)
                file = parsed
                check("ranking file format", true, "\(parsed.count) competitors, canonical order")
            } catch {
                check("ranking file format", false, error.description)
            }
            digest = Digest.sha256(rankingFile)
            check("entries digest", digest.hexString == proof.entries.digest.lowercased(),
                  "SHA-256(ranking file) = \(digest.hexString); published \(proof.entries.digest)")
        } else {
            do {
                let rebuilt = try RankingFile.build(proof.ranking.map { RankingFile.Line(name: $0.name, score: $0.score) },
                                                    maximumNameLength: ContestTeam.maximumNameLength)
                file = rebuilt
                check("entries digest", rebuilt.digest.hexString == proof.entries.digest.lowercased(),
                      "SHA-256(ranking rebuilt from the proof) = \(rebuilt.digest.hexString); published \(proof.entries.digest)")
            } catch {
                check("ranking file format", false, "the proof's ranking cannot be a ranking file: \(error)")
            }
        }
        guard let file else { return checks }
        check("ticket count", UInt64(file.count) == proof.entries.ticketCount, "file has \(file.count) lines; published N = \(proof.entries.ticketCount)")

        guard let seed = DrawVerifier.checkSeed(
            version: material.version, activation: proof.activation, secret: material.secret, randomness: material.randomness,
            entriesDigest: digest, proofSeedInput: proof.seedInput, proofSeed: proof.seed, check: check) else { return checks }

        let places = proof.winnersRequested
        check("winners requested", places >= 1 && places <= file.count, "\(places) prize places over \(file.count) competitors")
        let ranking = TieBreak.rank(file, seed: seed)
        for line in ranking where line.tied {
            let recorded = proof.ranking.first { $0.name == line.name }
            check("tie-break key \(line.name)", recorded?.key == line.key,
                  "HMAC-SHA256(seed, \"tie-break\\0\" ‖ \"\(line.name)\") = \(line.key ?? "")" + (recorded?.key == line.key ? "" : "; the proof says \(recorded?.key ?? "nothing")"))
        }
        let same = ranking == proof.ranking
        check("ranking", same, ranking.prefix(max(places, 1) + 3).map { "\($0.place). \($0.name) \($0.score)\($0.tied ? " (tied)" : "")" }.joined(separator: ", ")
              + (ranking.count > places + 3 ? ", …" : "") + (same ? "" : "; the proof orders them otherwise"))
        let winners = ranking.prefix(places).map(\.name)
        check("winners", winners == proof.winners.map(\.name), winners.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: ", "))
        if let announced = published.winners {
            let normal = announced.compactMap { EntryList.normalise($0, maximumLength: ContestTeam.maximumNameLength) }
            check("published winners", normal == winners, "announced \(announced.joined(separator: ", ")), recomputed \(winners.joined(separator: ", "))")
        }
        return checks
    }

    /// What a PASS does not cover.
    public static func notes(proof: RankingProof, fileGiven: Bool) -> [String] {
        var notes = ["Scores come from the hiscores snapshots at the contest's start and end (each entry's proof names them); this check covers the order, ties included, of the published scores."]
        if proof.activation.publishesSecretAtLock {
            notes.append("Under \(proof.activation.scheme) the secret was published with the ranking, before round \(proof.activation.randomness.round) existed: from then on anyone could compute the tie-breaks.")
        }
        if case .none = proof.activation.randomness { notes.append("This contest was committed without a beacon: \(RandomnessMode.noneWarning).") }
        if !fileGiven { notes.append("No ranking file was given: it was rebuilt from the proof. Pass --entries ranking.txt to check the published file.") }
        return notes
    }
}
