import Domain
import Foundation
import Storage

extension ContestAnnouncement {
    /// The webhook post for this step (`contest.activated`, `contest.ended`, `contest.drawn`); nil for a cancellation,
    /// which has no webhook event. `data` carries every published value for custom receivers.
    public func webhookMessage(clanName: String, at date: Date) -> WebhookMessage? {
        guard let event = webhookEvent else { return nil }
        let contest = self.contest
        var data = ["contest_id": String(contest.id), "contest_name": contest.name, "scheme": contest.commitment?.scheme ?? DrawScheme.identifier]
        var fields: [WebhookMessage.Field] = []
        if let commitment = contest.commitment {
            data["commitment"] = commitment.commitment
            data["rules_digest"] = commitment.rulesDigest
            data["end_at_ms"] = String(commitment.endAtMilliseconds)
            data["randomness_mode"] = commitment.randomness.storedMode
            if case .drandQuicknet(let round) = commitment.randomness {
                data["beacon_round"] = String(round)
                data["beacon_chain"] = DrandQuicknet.chainHash
            } else {
                data["warning"] = RandomnessMode.noneWarning
            }
        }
        if let entries = contest.entries {
            data["entries_digest"] = entries.digest
            data["ticket_count"] = String(entries.ticketCount)
        }
        let title: String
        switch self {
        case .activated(let activation):
            title = "Contest started: \(contest.name)"
            fields.append(.init(name: "Commitment SHA-256(secret)", value: activation.commitment.commitment))
            fields.append(.init(name: "Randomness", value: activation.commitment.randomness.summary))
            fields.append(.init(name: "Ends", time: contest.endAt, inline: true))
            fields.append(.init(name: "Rules", value: contest.rules.map { "\($0.position). \($0.title): \($0.summary)" }.joined(separator: "\n")))
        case .ended(let end) where contest.kind.scoresPoints:
            title = end.hasEntries ? "Ranking locked: \(contest.name)" : "Contest ended without points: \(contest.name)"
            data["kind"] = contest.kind.rawValue
            if let entries = contest.entries, end.hasEntries {
                fields.append(.init(name: "Ranking file SHA-256", value: entries.digest))
                fields.append(.init(name: "Ranked (N)", value: String(entries.ticketCount), inline: true))
                fields.append(.init(name: "Standings", value: end.detail.rankingLines().joined(separator: "\n")))
                if let note = end.detail.pendingTieNote { fields.append(.init(name: "Ties", value: note)) }
            }
            if let lock = end.detail.lock, let secret = lock.secret, end.hasEntries {
                data["secret"] = secret
                data["lock_record"] = lock.json
                fields.append(.init(name: "Secret (published now)", value: secret))
                if let recipe = lock.recipe { fields.append(.init(name: "Compute the final ranking", value: recipe)) }
            }
        case .ended(let end):
            title = end.hasEntries ? "Entries locked: \(contest.name)" : "Contest ended without entries: \(contest.name)"
            if let entries = contest.entries, end.hasEntries {
                fields.append(.init(name: "Entry file SHA-256", value: entries.digest))
                fields.append(.init(name: "Tickets (N)", value: String(entries.ticketCount), inline: true))
            }
            if let lock = end.detail.lock, let secret = lock.secret, end.hasEntries {
                // v2: the secret is public from the lock on, with what anyone needs to compute the winners at t(R).
                data["secret"] = secret
                data["winners_requested"] = String(lock.winnersRequested)
                data["lock_record"] = lock.json
                fields.append(.init(name: "Secret (published now)", value: secret))
                if let recipe = lock.recipe { fields.append(.init(name: "Compute the winners", value: recipe)) }
            } else if let secret = end.detail.lock?.secret {
                data["secret"] = secret
            }
            let excluded = end.detail.entries?.excluded ?? []
            if !excluded.isEmpty {
                data["excluded"] = excluded.map(\.name).joined(separator: ",")
            }
        case .drawn(let draw) where draw.ranking != nil:
            let ranking = draw.ranking
            title = "Final ranking: \(contest.name)"
            data["kind"] = contest.kind.rawValue
            data["secret"] = ranking?.secret ?? ""
            data["seed"] = ranking?.seed ?? ""
            data["winners"] = (ranking?.winners ?? []).map(\.name).joined(separator: ",")
            if let beacon = ranking?.beacon {
                data["beacon_randomness"] = beacon.randomness
                data["beacon_signature"] = beacon.signature
            }
            fields.append(.init(name: "Ranking", value: draw.detail.rankingLines().joined(separator: "\n")))
            if let note = draw.detail.tieBreakNote { fields.append(.init(name: "Ties decided by the committed draw", value: note)) }
            fields.append(.init(name: draw.detail.publishedSecret != nil ? "Secret (published when the ranking locked)" : "Secret (revealed)", value: ranking?.secret ?? ""))
            if let note = draw.detail.precomputableNote { fields.append(.init(name: "Nothing new", value: note)) }
            fields.append(.init(name: "Verify", value: draw.recipe))
        case .drawn(let draw):
            title = "Winner\(draw.winners.count == 1 ? "" : "s") drawn: \(contest.name)"
            data["secret"] = draw.proof.secret
            data["seed"] = draw.proof.seed
            data["winners"] = draw.winners.map(\.ticket).joined(separator: ",")
            if let beacon = draw.proof.beacon {
                data["beacon_randomness"] = beacon.randomness
                data["beacon_signature"] = beacon.signature
            }
            fields.append(.init(name: "Winners", value: draw.winners.map { "\($0.position). \($0.displayName)" }.joined(separator: "\n")))
            fields.append(.init(name: draw.detail.publishedSecret != nil ? "Secret (published when the entries locked)" : "Secret (revealed)", value: draw.proof.secret))
            if let note = draw.detail.winnersNote { fields.append(.init(name: "Note", value: note)) }
            if let note = draw.detail.precomputableNote { fields.append(.init(name: "Nothing new", value: note)) }
            fields.append(.init(name: "Verify", value: draw.recipe))
        case .cancelled:
            return nil
        }
        return WebhookMessage(event: event, clanName: clanName, title: title, description: text, fields: fields, occurredAt: date, data: data)
    }
}
