import Domain
import Foundation
import Storage

/// Ranked and team contests in the service (docs/draw-scheme.md §8): the end publishes the ranking file in place of
/// the entry file, and the "draw" orders equal scores with the committed draw's seed and stores the ranking proof.
extension ContestService {
    /// Ends a ranked or team contest: scores every member (teams: sums them), stores one `contest_entries` row per
    /// member and rule that gave points (entry_count = the points, with the rule's proof), and publishes the
    /// ranking file's SHA-256 and N. Nobody scored: ended without entries, nothing to rank.
    static func endRanking(_ db: Database, contest: Contest, evaluation: ContestEvaluation, now: Date) throws -> ContestEndResult {
        let standings = PointsStandings.make(kind: contest.kind, teams: contest.teams, evaluation: evaluation)
        let file: RankingFile?
        do {
            file = try standings.rankingFile()
        } catch {
            throw ContestServiceError.invalidRequest("the ranking cannot be written: \(error)")
        }
        let bytes = file?.bytes ?? []
        let commitment = file.map { EntriesCommitment(digest: $0.digest.hexString, ticketCount: UInt64($0.count)) } ?? .none
        let rows = standings.entries
        let exclusions = standings.excluded.map {
            ContestExclusion(accountID: $0.accountID, name: $0.name, reason: $0.exclusion?.description ?? "excluded")
        }
        let ended = try db.contests.end(contestID: contest.id, entries: commitment, entryFile: bytes, rows: rows, exclusions: exclusions, now: now)
        return ContestEndResult(detail: try detail(db, contest: ended), evaluation: evaluation, entryFile: bytes, points: standings)
    }

    /// Orders the ranking's ties with the committed draw (fetching round R as a raffle's draw does) and stores the
    /// result. Under v2 with a beacon this is exactly what anyone computes from the lock record and round R.
    func rank(_ contest: Contest, secret: [UInt8]?, file: [UInt8]?, now: Date) async throws -> ContestDrawResult {
        guard let commitment = contest.commitment else { throw ContestServiceError.missingStoredValue(contestID: contest.id, what: "commitment") }
        guard let secret else { throw ContestServiceError.missingStoredValue(contestID: contest.id, what: "secret") }
        guard let file else { throw ContestServiceError.missingStoredValue(contestID: contest.id, what: "ranking file") }
        let ranking: RankingFile
        do {
            ranking = try RankingFile.parse(bytes: file)
        } catch {
            throw ContestServiceError.invalidRequest("the stored ranking file cannot be read (\(error)); the contest cannot be ranked fairly and should be cancelled")
        }
        guard EntriesCommitment(digest: ranking.digest.hexString, ticketCount: UInt64(ranking.count)) == contest.entries else {
            throw ContestServiceError.invalidRequest("the stored ranking file does not match the published digest; the contest cannot be ranked fairly and should be cancelled")
        }
        var round: BeaconRound?
        if case .drandQuicknet(let number) = commitment.randomness {
            round = try await fetchBeacon(round: number, now: now)
        }
        let lock = DrawLockRecord(activation: commitment, kind: contest.kind, ranking: ranking, places: contest.winnersCount, secret: secret)
        let proof: RankingProof
        do {
            if let round, lock.secret != nil {
                proof = try RankingScheme.precompute(lock: lock, beacon: round, file: ranking)
            } else {
                proof = try RankingScheme.rank(kind: contest.kind, secret: secret, commitment: commitment, beacon: round, file: ranking,
                                               places: contest.winnersCount)
            }
        } catch {
            if case .beacon(let beaconError) = error, let round { throw ContestServiceError.beaconRefused(round: round.round, beaconError) }
            throw ContestServiceError.draw(error)
        }
        let rankedAt = clock()
        do {
            try await writing { db in _ = try db.contests.recordRanking(contestID: contest.id, proof: proof, now: rankedAt) }
        } catch ContestServiceError.refused(let refusal) where refusal == .alreadyDrawn {
            return try await stored(contestID: contest.id)
        }
        let result = ContestDrawResult(detail: try await detail(contestID: contest.id), alreadyDrawn: false)
        await events.post(.contest(.drawn(result)))
        return result
    }

    /// The detail of a ranked or team contest: the ranking file as lines, the lock record with its kind, the result.
    static func rankingDetail(_ db: Database, contest: Contest) throws -> ContestDetail {
        var summary: ContestEntriesSummary?
        var lock: DrawLockRecord?
        if let entries = contest.entries {
            let file = try db.contests.entryFile(contestID: contest.id) ?? []
            let lines = file.isEmpty ? [] : ((try? RankingFile.parse(bytes: file))?.lines ?? [])
            summary = ContestEntriesSummary(
                digest: entries.digest, ticketCount: entries.ticketCount, holders: [],
                excluded: try db.contests.exclusions(contestID: contest.id), entries: try db.contests.entries(contestID: contest.id), ranking: lines)
            if let commitment = contest.commitment {
                let secret = commitment.publishesSecretAtLock ? try db.contests.secret(contestID: contest.id)?.hexString : nil
                lock = DrawLockRecord(activation: commitment, entries: entries, winnersRequested: min(contest.winnersCount, lines.count),
                                      secret: secret, kind: contest.kind)
            }
        }
        let stored = try db.contests.ranking(contestID: contest.id)
        return ContestDetail(contest: contest, entries: summary, draw: nil, lock: lock, ranking: stored?.proof, rankingJSON: stored?.json)
    }

    /// `RankingVerifier` over the stored result and ranking file, against the values published at activation and end.
    static func verifyRanking(_ db: Database, contest: Contest, drandPublicKey: DrandPublicKey) throws -> ContestVerification {
        guard let stored = try db.contests.ranking(contestID: contest.id) else {
            throw ContestServiceError.refused(.wrongStatus(action: "verify the ranking of", status: contest.status, allowed: [.drawn]))
        }
        let file = try db.contests.entryFile(contestID: contest.id)
        let published = PublishedValues(
            contestID: contest.id, commitment: contest.commitment?.commitment, round: contest.commitment?.randomness.storedRound.map { UInt64($0) },
            entriesDigest: contest.entries?.digest, ticketCount: contest.entries?.ticketCount)
        let checks = RankingVerifier.verify(proof: stored.proof, rankingFile: file, published: published, drandPublicKey: drandPublicKey)
        return ContestVerification(checks: checks, notes: RankingVerifier.notes(proof: stored.proof, fileGiven: file != nil),
                                   proof: .placeholder, ranking: stored.proof)
    }
}

extension ContestDetail {
    /// How a ranking line's (normalised) name is shown: the team's name as given, or the member's RSN.
    public func displayName(ranked name: String) -> String {
        if contest.kind == .teams { return contest.teams.first { $0.normalisedName == name }?.name ?? name }
        return entries?.entries.first { EntryList.normalise($0.name) == name }?.name ?? name
    }

    /// "**1.** Zezima — 75 points" for the final ranking (after the draw) or the locked one (ties shown as "=").
    public func rankingLines(limit: Int = 10) -> [String] {
        let unit = { (score: Int64) in "\(score.groupedDigits) \(score == 1 ? "point" : "points")" }
        if let ranking {
            var lines = ranking.ranking.prefix(limit).map { line in
                "\(line.place <= ranking.winnersRequested ? "🏆 " : "")**\(line.place).** \(displayName(ranked: line.name)) — \(unit(line.score))\(line.tied ? " (tie-break)" : "")"
            }
            if ranking.ranking.count > limit { lines.append("… and \(ranking.ranking.count - limit) more") }
            return lines
        }
        let locked = entries?.ranking ?? []
        var place = 0
        var previous: Int64?
        var lines: [String] = []
        for (offset, line) in locked.prefix(limit).enumerated() {
            if line.score != previous { place = offset + 1 }
            let tied = locked.filter { $0.score == line.score }.count > 1
            lines.append("**\(place)\(tied ? "=" : "").** \(displayName(ranked: line.name)) — \(unit(line.score))")
            previous = line.score
        }
        if locked.count > limit { lines.append("… and \(locked.count - limit) more") }
        return lines
    }

    /// What the tie-break decided at the prize places, with each key, or nil when no tie touched them.
    public var tieBreakNote: String? {
        guard let ranking, !ranking.decidedTies.isEmpty else { return nil }
        var groups: [Int64: [RankedCompetitor]] = [:]
        for line in ranking.decidedTies { groups[line.score, default: []].append(line) }
        let source = beaconRound.map { "drand round \($0)" } ?? "the committed secret (no beacon)"
        return groups.keys.sorted(by: >).compactMap { score -> String? in
            guard let tied = groups[score] else { return nil }
            let names = tied.map { "\(displayName(ranked: $0.name)) (key \(($0.key ?? "").prefix(12))…)" }.joined(separator: ", ")
            return "Tied on \(score.groupedDigits): \(names), ordered by HMAC-SHA256(seed, \"tie-break\\0\" ‖ name) with \(source), smallest key first."
        }.joined(separator: "\n")
    }

    /// Before the draw: whether a tie at the prize places waits for the beacon.
    public var pendingTieNote: String? {
        guard ranking == nil, let lines = entries?.ranking, !lines.isEmpty else { return nil }
        let places = min(contest.winnersCount, lines.count)
        let prizeScores = Set(lines.prefix(places).map(\.score))
        let tiedAtPrizes = prizeScores.contains { score in lines.filter { $0.score == score }.count > 1 }
        guard tiedAtPrizes else { return nil }
        let when = beaconPublishedAt.map { "drand round \(beaconRound ?? 0) (published \(ContestServiceError.time($0)))" } ?? "the committed secret at the draw"
        return "Some competitors are tied at the prize places: the tie-break uses \(when), so nobody can choose between them."
    }
}
