import Discord
import Domain
import Foundation
import Services

/// The parts of a contest's embed that differ for ranked and team contests (docs/draw-scheme.md §8): what wins,
/// the points rules, the teams, the locked ranking and the final one with the ties the committed draw decided.
enum RankingEmbeds {
    static func icon(_ kind: ContestKind) -> String {
        switch kind {
        case .raffle: "🎲"
        case .ranked: "🏅"
        case .teams: "🛡️"
        }
    }

    /// "Ranked: the top 3 members by points win" for the description.
    static func kindLine(_ contest: Contest) -> String? {
        switch contest.kind {
        case .raffle: nil
        case .ranked: "**Ranked**: the top \(Format.plural(contest.winnersCount, "member")) by points win; ties are decided by the committed draw."
        case .teams: "**Teams**: the best \(Format.plural(contest.winnersCount, "team")) by points win (a team scores the sum of its members); ties are decided by the committed draw."
        }
    }

    static func rule(_ rule: ContestRule, kind: ContestKind) -> String {
        kind.scoresPoints ? "\(rule.position). **\(rule.title)** — \(rule.pointsSummary)"
            : "\(rule.position). **\(rule.title)** — \(rule.summary)" + (rule.weight == 1 ? "" : " (×\(rule.weight) entries)")
    }

    /// The fields a ranked or team contest adds: its teams, the locked ranking, the final one.
    static func addFields(_ detail: ContestDetail, to builder: inout EmbedBuilder) {
        let contest = detail.contest
        if contest.kind == .teams {
            builder.addField("Teams", contest.teams.isEmpty ? "None yet: `/contest teams`"
                             : contest.teams.map { "**\($0.name)**: \($0.members.joined(separator: ", "))" }.joined(separator: "\n"))
        }
        guard let entries = detail.entries else { return }
        if entries.ticketCount == 0 {
            builder.addField("Ranking", "Nobody scored a point, so there is no ranking.")
            return
        }
        if let ranking = detail.ranking {
            builder.addField("Final ranking", detail.rankingLines().joined(separator: "\n"))
            if let note = detail.tieBreakNote { builder.addField("Ties decided by the committed draw", note) }
            builder.addField(detail.publishedSecret != nil ? "Secret (published when the ranking locked)" : "Revealed secret", "`\(ranking.secret)`")
            if let note = detail.precomputableNote { builder.addField("Nothing new", note) }
            if let beacon = ranking.beacon { builder.addField("Beacon", "drand round \(beacon.round)\n`\(beacon.randomness)`") }
        } else {
            builder.addField("Ranking (locked)", "**N = \(entries.ticketCount)** \(contest.kind.competitorNoun)s scored · ranking file SHA-256 `\(entries.digest)`\n"
                             + detail.rankingLines().joined(separator: "\n") + (detail.pendingTieNote.map { "\n⚖️ \($0)" } ?? ""))
            if let secret = detail.publishedSecret {
                let when = detail.beaconPublishedAt.map { " From \(Format.timestamp($0, "f")) (\(Format.timestamp($0))) anyone can compute the final ranking." } ?? ""
                builder.addField("Secret (published when the ranking locked)", "`\(secret)`" + when)
            }
        }
    }
}
