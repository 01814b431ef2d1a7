import Cryptography
import Domain
import Foundation

/// Contests, their rules, entries and draws. Every state change loads the contest, asks the Domain lifecycle
/// (`Contest.applying`) whether the step is allowed, and writes the result with its side data in one transaction:
/// the rules change only in draft, the secret is stored at activation, the entries and the entry file at the end,
/// the proof and one `contest_draws` row per winner at the draw.
public struct ContestRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = """
        id, clan_id, name, description, prize, status, start_at, end_at, winners_count, scheme, randomness_mode, \
        seed_commitment, rules_digest, beacon_chain, beacon_round, entries_digest, entry_count, cancel_reason, \
        activated_at, ended_at, drawn_at, cancelled_at, kind, teams
        """

    // MARK: drafts and rules

    /// Creates a draft. The window, name and winner count are checked by `Contest.init`.
    @discardableResult
    public func create(
        clanID: Int64, name: String, description: String? = nil, prize: String? = nil, startAt: Date, endAt: Date,
        winnersCount: Int = 1, randomness: ContestRandomnessChoice = .drand, kind: ContestKind = .raffle, createdBy: String? = nil,
        now: Date = Date()
    ) throws -> Contest {
        let draft: Contest
        do {
            draft = try Contest(id: 0, clanID: clanID, name: name, description: description, prize: prize,
                                startAt: startAt, endAt: endAt, winnersCount: winnersCount, kind: kind)
        } catch {
            throw ContestStorageError.refused(error)
        }
        try translatingConstraints({
            try db.execute(
                """
                INSERT INTO contests (clan_id, name, description, prize, status, start_at, end_at, winners_count, scheme,
                                      randomness_mode, kind, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [clanID, draft.name, description, prize, startAt, endAt, winnersCount, DrawScheme.identifier,
                 randomness.rawValue, kind.rawValue, createdBy, now, now])
        }) { error in
            error.isForeignKeyViolation ? .unknownClan("with id \(clanID)") : nil
        }
        return try get(id: try db.lastInsertRowID)
    }

    /// The contest with its rules, or nil.
    public func find(id: Int64) throws -> Contest? {
        guard var contest = try db.queryFirst("SELECT \(Self.columns) FROM contests WHERE id = ?", [id], { try Self.decode($0) }) else {
            return nil
        }
        contest.rules = try rules(contestID: id)
        return contest
    }

    public func get(id: Int64) throws -> Contest {
        guard let contest = try find(id: id) else { throw ContestStorageError.unknownContest(id) }
        return contest
    }

    /// The contest, only if it belongs to `clanID` (a command in one clan never reaches another's contest).
    public func get(id: Int64, clanID: Int64) throws -> Contest {
        guard let contest = try find(id: id), contest.clanID == clanID else { throw ContestStorageError.unknownContest(id) }
        return contest
    }

    /// The clan's contests, newest first, optionally only those in `status`.
    public func list(clanID: Int64, status: ContestStatus? = nil) throws -> [Contest] {
        let headers: [Contest]
        if let status {
            headers = try db.query("SELECT \(Self.columns) FROM contests WHERE clan_id = ? AND status = ? ORDER BY start_at DESC, id DESC",
                                   [clanID, status.rawValue]) { try Self.decode($0) }
        } else {
            headers = try db.query("SELECT \(Self.columns) FROM contests WHERE clan_id = ? ORDER BY start_at DESC, id DESC", [clanID]) {
                try Self.decode($0)
            }
        }
        return try headers.map { contest in
            var contest = contest
            contest.rules = try rules(contestID: contest.id)
            return contest
        }
    }

    /// Every contest in `status`, of every clan, oldest end first (the scheduler ends and draws these).
    public func list(status: ContestStatus) throws -> [Contest] {
        try db.query("SELECT \(Self.columns) FROM contests WHERE status = ? ORDER BY end_at, id", [status.rawValue]) { try Self.decode($0) }
            .map { contest in
                var contest = contest
                contest.rules = try rules(contestID: contest.id)
                return contest
            }
    }

    /// Adds `rule` (its position must be the contest's next one); only in draft.
    @discardableResult
    public func addRule(_ rule: ContestRule, to contestID: Int64, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let contest = try get(id: contestID)
            let next = try Self.apply(.addRule(rule), to: contest)
            let targets = String(decoding: try JSONEncoder().encode(rule.targets), as: UTF8.self)
            try translatingConstraints({
                try db.execute(
                    """
                    INSERT INTO contest_rules (contest_id, position, type, targets, threshold, comparator, timeframe, weight, title, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [contestID, rule.position, rule.kind.rawValue, targets, rule.threshold, ContestRule.comparator, ContestRule.timeframe,
                     rule.weight, rule.title, now])
            }) { error in
                error.isUniqueViolation ? .invalidValue("contest \(contestID) already has a rule \(rule.position)") : nil
            }
            try touch(contestID, now)
            return next
        }
    }

    /// Removes the rule at `position`; only in draft. Later rules keep their numbers.
    @discardableResult
    public func removeRule(position: Int, from contestID: Int64, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let contest = try get(id: contestID)
            let next = try Self.apply(.removeRule(position: position), to: contest)
            try db.execute("DELETE FROM contest_rules WHERE contest_id = ? AND position = ?", [contestID, position])
            try touch(contestID, now)
            return next
        }
    }

    /// Changes a draft (see `ContestDraftEdit`); refused once the contest is active.
    @discardableResult
    public func edit(contestID: Int64, _ edit: ContestDraftEdit, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let next = try Self.apply(.edit(edit), to: try get(id: contestID))
            try db.execute(
                """
                UPDATE contests SET name = ?, description = ?, prize = ?, start_at = ?, end_at = ?, winners_count = ?,
                                    randomness_mode = ?, updated_at = ?
                WHERE id = ? AND status = 'draft'
                """,
                [next.name, next.description, next.prize, next.startAt, next.endAt, next.winnersCount,
                 next.randomnessChoice.rawValue, now, contestID] as [any SQLBindable])
            return try get(id: contestID)
        }
    }

    /// Replaces a teams contest's teams (draft only; nobody in two teams).
    @discardableResult
    public func setTeams(_ teams: [ContestTeam], contestID: Int64, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let next = try Self.apply(.setTeams(teams), to: try get(id: contestID))
            try db.execute("UPDATE contests SET teams = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
                           [try Self.encodeTeams(teams), now, contestID])
            return next
        }
    }

    // MARK: lifecycle

    /// Locks the rules and stores the secret with its commitment (`commitment` must be SHA-256 of `secret`,
    /// made for this contest, its end time and its rules, and in the mode the draft asked for).
    @discardableResult
    public func activate(contestID: Int64, commitment: DrawCommitment, secret: [UInt8], now: Date = Date()) throws -> Contest {
        guard DrawScheme.commitment(secret: secret).hexString == commitment.commitment.lowercased() else {
            throw ContestStorageError.inconsistent("the commitment is not SHA-256 of the secret being stored")
        }
        return try db.transaction {
            let contest = try get(id: contestID)
            guard commitment.randomness.storedMode == contest.randomnessChoice.rawValue else {
                throw ContestStorageError.inconsistent(
                    "the contest was drafted with randomness mode '\(contest.randomnessChoice.rawValue)', the commitment uses '\(commitment.randomness.storedMode)'")
            }
            let next = try Self.apply(.activate(commitment, at: now), to: contest)
            try db.execute(
                """
                UPDATE contests SET status = 'active', secret = ?, seed_commitment = ?, rules_digest = ?, scheme = ?,
                    randomness_mode = ?, beacon_chain = ?, beacon_round = ?, activated_at = ?, updated_at = ?
                WHERE id = ?
                """,
                [secret, commitment.commitment.lowercased(), commitment.rulesDigest, commitment.scheme, commitment.randomness.storedMode,
                 commitment.randomness.storedChain, commitment.randomness.storedRound, now, now, contestID])
            return next
        }
    }

    /// The secret stored at activation (nil before). Read by the draw, and under clanbot-draw-v2 with a beacon by
    /// whatever shows an ended contest (the secret is published when the entries lock).
    public func secret(contestID: Int64) throws -> [UInt8]? {
        try db.queryFirst("SELECT secret FROM contests WHERE id = ?", [contestID]) { row -> [UInt8]? in try row.get(0) } ?? nil
    }

    /// Locks the entries: one `contest_entries` row per satisfied rule and member (with its proof), the exact entry
    /// file, its digest and N, and the members left out. `entryFile` must hash to `entries.digest`.
    /// With no entries pass `EntriesCommitment.none` and an empty file: the contest then ends and is never drawn.
    @discardableResult
    public func end(
        contestID: Int64, entries: EntriesCommitment, entryFile: [UInt8], rows: [ContestEntry], exclusions: [ContestExclusion] = [],
        now: Date = Date()
    ) throws -> Contest {
        guard Digest.sha256(entryFile).hexString == entries.digest.lowercased() else {
            throw ContestStorageError.inconsistent("the entry file does not hash to the entries digest \(entries.digest)")
        }
        let tickets = UInt64(rows.reduce(0) { $0 + $1.entryCount })
        return try db.transaction {
            let contest = try get(id: contestID)
            // A raffle's N is its tickets; a ranking's N is its lines, and its rows hold points.
            guard contest.kind.scoresPoints || tickets == entries.ticketCount else {
                throw ContestStorageError.inconsistent("the entries hold \(tickets) tickets but the digest is for N = \(entries.ticketCount)")
            }
            let next = try Self.apply(.end(entries, at: now), to: contest)
            let ruleIDs = Dictionary(uniqueKeysWithValues: try db.query(
                "SELECT position, id FROM contest_rules WHERE contest_id = ?", [contestID]) { (try $0.int(0), try $0.int64(1)) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for row in rows {
                guard let ruleID = ruleIDs[row.rulePosition] else {
                    throw ContestStorageError.inconsistent("an entry names rule \(row.rulePosition), which contest \(contestID) does not have")
                }
                let proof = String(decoding: try encoder.encode(row.proof), as: UTF8.self)
                try translatingConstraints({
                    try db.execute(
                        "INSERT INTO contest_entries (contest_id, rule_id, account_id, entry_count, proof, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [contestID, ruleID, row.accountID, row.entryCount, proof, now])
                }) { error in
                    if error.isUniqueViolation { return .invalidValue("account \(row.accountID) has two entries for rule \(row.rulePosition)") }
                    return error.isForeignKeyViolation ? .unknownAccount("with id \(row.accountID)") : nil
                }
            }
            let excluded = String(decoding: try encoder.encode(exclusions), as: UTF8.self)
            try db.execute(
                """
                UPDATE contests SET status = 'ended', entries_digest = ?, entry_count = ?, entries_file = ?, exclusions = ?,
                    ended_at = ?, updated_at = ?
                WHERE id = ?
                """,
                [entries.digest.lowercased(), Int64(clamping: entries.ticketCount), entryFile, excluded, now, now, contestID])
            return next
        }
    }

    /// The stored entries, by rule then name.
    public func entries(contestID: Int64) throws -> [StoredContestEntry] {
        try db.query(
            """
            SELECT e.id, r.position, e.account_id, a.display_name, e.entry_count, e.proof
            FROM contest_entries e JOIN contest_rules r ON r.id = e.rule_id JOIN accounts a ON a.id = e.account_id
            WHERE e.contest_id = ? ORDER BY r.position, a.normalised_name, e.id
            """,
            [contestID]
        ) { row in
            let json = try row.string(5)
            let proof: EntryProof
            do {
                proof = try JSONDecoder().decode(EntryProof.self, from: Data(json.utf8))
            } catch {
                throw ContestStorageError.unreadable(contestID: contestID, detail: "the proof of entry \(try row.int64(0)) is not an entry proof: \(error)")
            }
            return StoredContestEntry(id: try row.int64(0), contestID: contestID, rulePosition: try row.int(1), accountID: try row.int64(2),
                                      name: try row.string(3), entryCount: try row.int(4), proof: proof, proofJSON: json)
        }
    }

    /// The entry file stored at the end, byte for byte (nil before the end; empty when nobody qualified).
    public func entryFile(contestID: Int64) throws -> [UInt8]? {
        guard let row = try db.queryFirst("SELECT status, entries_file FROM contests WHERE id = ?", [contestID], { row -> (String, [UInt8]?) in
            (try row.string(0), try row.get(1))
        }) else { throw ContestStorageError.unknownContest(contestID) }
        return row.1
    }

    /// The members the end left out, and why.
    public func exclusions(contestID: Int64) throws -> [ContestExclusion] {
        guard let text = try db.queryFirst("SELECT exclusions FROM contests WHERE id = ?", [contestID], { row -> String? in try row.get(0) }) ?? nil else {
            return []
        }
        do {
            return try JSONDecoder().decode([ContestExclusion].self, from: Data(text.utf8))
        } catch {
            throw ContestStorageError.unreadable(contestID: contestID, detail: "exclusions: \(error)")
        }
    }

    /// Records the draw: the proof (on every row), one `contest_draws` row per winner, the secret's reveal, status drawn.
    /// The proof must be for this contest's commitment and entries; each winner must hold tickets.
    @discardableResult
    public func recordDraw(contestID: Int64, proof: DrawProof, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let contest = try get(id: contestID)
            let next = try Self.apply(.draw(at: now), to: contest)
            guard proof.activation == contest.commitment else {
                throw ContestStorageError.inconsistent("the proof was made for another commitment than contest \(contestID)'s")
            }
            guard proof.entries == contest.entries else {
                throw ContestStorageError.inconsistent("the proof was made for other entries than contest \(contestID)'s")
            }
            let holders = try ticketHolders(contestID: contestID)
            let json = proof.json
            for row in proof.winnerRows {
                guard let holder = holders[row.name] else {
                    throw ContestStorageError.inconsistent("the winner '\(row.name)' holds no entry in contest \(contestID)")
                }
                try db.execute(
                    """
                    INSERT INTO contest_draws (contest_id, winner_position, drawn_at, winner_account_id, winner_entry_id, ticket_index, counter,
                                               seed_reveal, beacon_round, beacon_randomness, beacon_signature, rng_proof)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [contestID, row.position, now, holder.accountID, holder.entryID, row.ticketIndex, row.counter, row.seedReveal,
                     row.beaconRound, row.beaconRandomness, row.beaconSignature, json])
            }
            try db.execute("UPDATE contests SET status = 'drawn', seed_reveal = ?, drawn_at = ?, updated_at = ? WHERE id = ?",
                           [proof.secret, now, now, contestID])
            return next
        }
    }

    /// Records a ranked or team contest's result: the proof (for this contest's commitment and ranking file),
    /// the secret's reveal, status drawn. A raffle is drawn with `recordDraw` instead.
    @discardableResult
    public func recordRanking(contestID: Int64, proof: RankingProof, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let contest = try get(id: contestID)
            guard contest.kind.scoresPoints, proof.kind == contest.kind else {
                throw ContestStorageError.inconsistent("contest \(contestID) is a \(contest.kind.rawValue) contest; this is a \(proof.kind.rawValue) result")
            }
            let next = try Self.apply(.draw(at: now), to: contest)
            guard proof.activation == contest.commitment else {
                throw ContestStorageError.inconsistent("the result was made for another commitment than contest \(contestID)'s")
            }
            guard proof.entries == contest.entries else {
                throw ContestStorageError.inconsistent("the result was made for another ranking than contest \(contestID)'s")
            }
            try db.execute("UPDATE contests SET status = 'drawn', seed_reveal = ?, ranking_proof = ?, drawn_at = ?, updated_at = ? WHERE id = ?",
                           [proof.secret, proof.json, now, now, contestID])
            return next
        }
    }

    /// The stored result of a ranked or team contest (the proof and its JSON exactly as stored), or nil before it.
    public func ranking(contestID: Int64) throws -> (proof: RankingProof, json: String)? {
        guard let json = try db.queryFirst("SELECT ranking_proof FROM contests WHERE id = ?", [contestID], { row -> String? in try row.get(0) }) ?? nil else {
            return nil
        }
        do {
            return (try RankingProof.decode(json: Data(json.utf8)), json)
        } catch {
            throw ContestStorageError.unreadable(contestID: contestID, detail: "ranking_proof: \(error)")
        }
    }

    /// The stored draw, or nil when the contest has not been drawn.
    public func draw(contestID: Int64) throws -> StoredContestDraw? {
        let rows = try db.query(
            """
            SELECT d.winner_position, d.winner_account_id, a.display_name, d.ticket_index, d.counter, d.rng_proof, d.drawn_at
            FROM contest_draws d JOIN accounts a ON a.id = d.winner_account_id
            WHERE d.contest_id = ? ORDER BY d.winner_position
            """,
            [contestID]
        ) { row in
            (position: try row.int(0), accountID: try row.int64(1), name: try row.string(2), index: try row.int64(3),
             counter: try row.get(4, as: Int64?.self) ?? 0, json: try row.string(5), drawnAt: try row.date(6))
        }
        guard let first = rows.first else { return nil }
        let proof: DrawProof
        do {
            proof = try DrawProof.decode(json: Data(first.json.utf8))
        } catch {
            throw ContestStorageError.unreadable(contestID: contestID, detail: "rng_proof: \(error)")
        }
        let tickets = Dictionary(proof.winners.map { ($0.place, $0.name) }, uniquingKeysWith: { first, _ in first })
        return StoredContestDraw(
            contestID: contestID, drawnAt: first.drawnAt, proof: proof, proofJSON: first.json,
            winners: rows.map {
                .init(position: $0.position, accountID: $0.accountID, ticket: tickets[$0.position] ?? EntryList.normalise($0.name) ?? $0.name,
                      displayName: $0.name, ticketIndex: $0.index, counter: $0.counter)
            })
    }

    /// Cancels publicly with `reason` (draft, active or ended; never after the draw).
    @discardableResult
    public func cancel(contestID: Int64, reason: String, now: Date = Date()) throws -> Contest {
        try db.transaction {
            let contest = try get(id: contestID)
            let next = try Self.apply(.cancel(reason: reason, at: now), to: contest)
            try db.execute("UPDATE contests SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, updated_at = ? WHERE id = ?",
                           [next.cancelReason, now, now, contestID])
            return next
        }
    }

    // MARK: internals

    static func apply(_ event: ContestEvent, to contest: Contest) throws -> Contest {
        do {
            return try contest.applying(event)
        } catch {
            throw ContestStorageError.refused(error)
        }
    }

    private func touch(_ contestID: Int64, _ now: Date) throws {
        try db.execute("UPDATE contests SET updated_at = ? WHERE id = ?", [now, contestID])
    }

    /// Normalised name → the account holding tickets under it and its first entry.
    private func ticketHolders(contestID: Int64) throws -> [String: (accountID: Int64, entryID: Int64)] {
        var holders: [String: (accountID: Int64, entryID: Int64)] = [:]
        for entry in try entries(contestID: contestID) {
            guard let name = EntryList.normalise(entry.name), holders[name] == nil else { continue }
            holders[name] = (entry.accountID, entry.id)
        }
        return holders
    }

    private func rules(contestID: Int64) throws -> [ContestRule] {
        try db.query("SELECT position, type, targets, threshold, weight, title FROM contest_rules WHERE contest_id = ? ORDER BY position",
                     [contestID]) { row in
            let typeName = try row.string(1)
            guard let kind = ContestRule.Kind(rawValue: typeName) else {
                throw ContestStorageError.unreadable(contestID: contestID, detail: "unknown rule type '\(typeName)'")
            }
            let targets: [String]
            do {
                targets = try JSONDecoder().decode([String].self, from: Data(try row.string(2).utf8))
            } catch {
                throw ContestStorageError.unreadable(contestID: contestID, detail: "rule targets are not a list of names: \(error)")
            }
            do {
                return try ContestRule(position: try row.int(0), kind: kind, targets: targets, threshold: try row.int64(3),
                                       weight: try row.int(4), title: try row.string(5))
            } catch let error as ContestRuleError {
                throw ContestStorageError.unreadable(contestID: contestID, detail: "rule \(try row.int(0)): \(error)")
            }
        }
    }

    static func encodeTeams(_ teams: [ContestTeam]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(teams), as: UTF8.self)
    }

    static func decode(_ row: Row) throws -> Contest {
        let id = try row.int64(0)
        let statusText = try row.string(5)
        guard let status = ContestStatus(rawValue: statusText) else {
            throw ContestStorageError.unreadable(contestID: id, detail: "unknown status '\(statusText)'")
        }
        let modeText = try row.string(10)
        guard let choice = ContestRandomnessChoice(rawValue: modeText) else {
            throw ContestStorageError.unreadable(contestID: id, detail: "unknown randomness mode '\(modeText)'")
        }
        let endAt = try row.date(7)
        var commitment: DrawCommitment?
        if let hash: String = try row.get(11) {
            let randomness: RandomnessMode
            do {
                randomness = try RandomnessMode(storedMode: modeText, chain: try row.get(13), round: try row.get(14))
            } catch {
                throw ContestStorageError.unreadable(contestID: id, detail: "\(error)")
            }
            commitment = DrawCommitment(scheme: try row.string(9), contestID: id, endAtMilliseconds: endAt.epochMilliseconds,
                                        commitment: hash, rulesDigest: try row.get(12, as: String?.self) ?? "", randomness: randomness)
        }
        var entries: EntriesCommitment?
        if let digest: String = try row.get(15), let count: Int64 = try row.get(16) {
            entries = EntriesCommitment(digest: digest, ticketCount: UInt64(max(0, count)))
        }
        var contest = Contest(
            id: id, clanID: try row.int64(1), name: try row.string(2), description: try row.get(3), prize: try row.get(4), status: status,
            startAt: try row.date(6), endAt: endAt, winnersCount: try row.int(8), rules: [], commitment: commitment, entries: entries,
            cancelReason: try row.get(17), activatedAt: try row.get(18), endedAt: try row.get(19), drawnAt: try row.get(20),
            cancelledAt: try row.get(21))
        contest.randomnessChoice = choice
        let kindText = try row.string(22)
        guard let kind = ContestKind(rawValue: kindText) else {
            throw ContestStorageError.unreadable(contestID: id, detail: "unknown contest kind '\(kindText)'")
        }
        contest.kind = kind
        if let teams: String = try row.get(23) {
            do {
                contest.teams = try JSONDecoder().decode([ContestTeam].self, from: Data(teams.utf8))
            } catch {
                throw ContestStorageError.unreadable(contestID: id, detail: "teams: \(error)")
            }
        }
        return contest
    }
}
