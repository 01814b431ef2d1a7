import Cryptography
import Domain
import Foundation

extension VerifyCommand {
    /// A ranked or team contest's result (docs/draw-scheme.md §8.5): when the proof file or the lock record is a
    /// ranking's (its `kind`), checks it as one and returns the exit status; nil for a raffle's draw.
    static func verifyRankingIfRanking(_ options: inout Options, entryFile: [UInt8]?, drandPublicKey: DrandPublicKey,
                                       print: (String) -> Void) throws -> Int32? {
        let proof: RankingProof
        if let path = options.proofPath {
            let data = Data(try read(path, what: "proof"))
            guard RankingProof.isRanking(json: data) else { return nil }
            do {
                proof = try RankingProof.decode(json: data)
            } catch {
                throw CommandLineError.failed("\(path): \(error)")
            }
        } else if let path = options.lockPath {
            guard let lock = try? JSONDecoder().decode(DrawLockRecord.self, from: Data(try read(path, what: "lock record"))), let kind = lock.kind else {
                return nil
            }
            proof = try rankingFromLock(&options, lock: lock, kind: kind, path: path, entryFile: entryFile)
        } else {
            return nil
        }
        let checks = RankingVerifier.verify(proof: proof, rankingFile: entryFile, published: options.published, drandPublicKey: drandPublicKey)
        for line in rankingReport(proof: proof, checks: checks, notes: RankingVerifier.notes(proof: proof, fileGiven: entryFile != nil)) {
            print(line)
        }
        return checks.allSatisfy(\.passed) ? 0 : 1
    }

    /// The final ranking computed from a v2 lock record, the ranking file and round R's signature.
    static func rankingFromLock(_ options: inout Options, lock: DrawLockRecord, kind: ContestKind, path: String, entryFile: [UInt8]?) throws -> RankingProof {
        guard let secretHex = lock.secret, let secret = [UInt8](hexString: secretHex) else {
            throw CommandLineError.failed("\(path) does not publish the secret (\(lock.scheme), randomness \(lock.activation.randomness.storedMode)): the ties are decided only by the result's proof (clanbot verify --proof)")
        }
        guard case .drandQuicknet(let round) = lock.activation.randomness else { throw CommandLineError.failed("\(path) has no beacon round") }
        guard let signature = options.signature else {
            throw CommandLineError.usage("with --lock, --signature is needed: the signature of drand quicknet round \(round) (any relay: \(DrandQuicknet.path(ofRound: round)))")
        }
        guard let bytes = entryFile else { throw CommandLineError.usage("with --lock, --entries is needed: the ranking file the lock published") }
        let file: RankingFile
        do {
            file = try RankingFile.parse(bytes: bytes)
        } catch {
            throw CommandLineError.failed("the file cannot be read as a ranking file (docs/draw-scheme.md §8.3): \(error)")
        }
        let computed = [UInt8](hexString: signature).map { Digest.sha256($0).hexString } ?? ""
        let beacon = BeaconRound(round: round, randomness: options.randomness ?? computed, signature: signature)
        options.published.scheme = options.published.scheme ?? lock.scheme
        options.published.contestID = options.published.contestID ?? lock.activation.contestID
        options.published.commitment = options.published.commitment ?? lock.activation.commitment
        options.published.round = options.published.round ?? round
        options.published.entriesDigest = options.published.entriesDigest ?? lock.entries.digest
        options.published.ticketCount = options.published.ticketCount ?? lock.entries.ticketCount
        do {
            return try RankingScheme.reconstruct(kind: kind, secret: secret, commitment: lock.activation, beacon: beacon, file: file, places: lock.winnersRequested)
        } catch {
            throw CommandLineError.failed("the ranking cannot be computed from \(path): \(error)")
        }
    }

    /// The printed report of a ranking: the values, one line per check, the final ranking.
    static func rankingReport(proof: RankingProof, checks: [DrawCheck], notes: [String]) -> [String] {
        var lines = ["\(proof.scheme) ranking of \(proof.kind.rawValue) contest \(proof.activation.contestID)"]
        lines.append("  secret            \(proof.secret)")
        lines.append("  commitment        \(proof.activation.commitment)")
        if let beacon = proof.beacon {
            lines.append("  beacon round      \(beacon.round)")
            lines.append("  randomness        \(beacon.randomness)")
        } else {
            lines.append("  beacon            none (\(RandomnessMode.noneWarning))")
        }
        lines.append("  ranking digest    \(proof.entries.digest) (N = \(proof.entries.ticketCount))")
        lines.append("  seed              \(proof.seed)")
        lines.append("")
        let width = min(24, checks.map(\.name.count).max() ?? 0)
        for check in checks {
            lines.append("\(check.passed ? "PASS" : "FAIL")  \(check.name.padding(toLength: max(width, check.name.count), withPad: " ", startingAt: 0))  \(check.detail)")
        }
        lines.append("")
        for note in notes { lines.append("note: \(note)") }
        let failed = checks.filter { !$0.passed }
        if failed.isEmpty {
            lines.append("All \(checks.count) checks passed. Winners: \(proof.winners.map { "\($0.place). \($0.name) (\($0.score))" }.joined(separator: ", ")).")
        } else {
            lines.append("\(failed.count) of \(checks.count) checks FAILED: \(failed.map(\.name).joined(separator: ", ")).")
        }
        return lines
    }
}
