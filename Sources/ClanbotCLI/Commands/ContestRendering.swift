import Domain
import Foundation
import Services
import Storage

/// Contest output for the terminal: plain lines, times in UTC.
enum ContestRendering {
    static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static func time(_ date: Date) -> String { TextTable.time(date, in: utc) }

    static func rule(_ rule: ContestRule) -> String {
        "\(rule.title): \(rule.summary) (\(rule.weight) \(rule.weight == 1 ? "entry" : "entries"))"
    }

    static func list(_ contests: [Contest], clan: Clan) -> [String] {
        guard !contests.isEmpty else { return ["\(clan.name) has no contests."] }
        return TextTable.render(["#", "Name", "Status", "Start", "End", "Winners"], contests.map {
            ["\($0.id)", $0.name, $0.status.rawValue, time($0.startAt), time($0.endAt), "\($0.winnersCount)"]
        }, align: [.right, .left, .left, .left, .left, .right])
    }

    static func detail(_ detail: ContestDetail) -> [String] {
        let contest = detail.contest
        var lines = ["Contest #\(contest.id) \"\(contest.name)\" — \(contest.status.rawValue)"]
        lines.append("Runs \(time(contest.startAt)) to \(time(contest.endAt)); \(contest.winnersCount) winner\(contest.winnersCount == 1 ? "" : "s")"
            + (contest.prize.map { "; prize: \($0)" } ?? ""))
        if let description = contest.description { lines.append(description) }
        lines.append("")
        lines.append("Rules")
        if contest.rules.isEmpty { lines.append("  none yet") }
        for rule in contest.rules {
            lines.append("  \(rule.position). " + (contest.kind.scoresPoints ? "\(rule.title): \(rule.pointsSummary)" : Self.rule(rule)))
        }
        if contest.kind != .raffle {
            lines.append("Kind: \(contest.kind.rawValue) — the top \(contest.winnersCount) \(contest.kind.competitorNoun)\(contest.winnersCount == 1 ? "" : "s") by points win; ties by the committed draw")
        }
        for team in contest.teams { lines.append("  team \(team.name): \(team.members.joined(separator: ", "))") }
        if let commitment = contest.commitment {
            lines.append("")
            lines.append("Commitment (\(commitment.scheme), activated \(contest.activatedAt.map(time) ?? "?"))")
            lines.append("  SHA-256(secret)  \(commitment.commitment)")
            lines.append("  rules digest     \(commitment.rulesDigest)")
            lines.append("  randomness       \(commitment.randomness.summary)")
        } else if detail.randomnessWarning != nil {
            lines.append("")
            lines.append("Randomness: none (\(RandomnessMode.noneWarning))")
        }
        if contest.kind.scoresPoints, let entries = detail.entries {
            lines.append("")
            if entries.ticketCount == 0 {
                lines.append("Ranking: none — nobody scored a point")
            } else {
                lines.append("\(detail.ranking == nil ? "Ranking (locked)" : "Final ranking"): N = \(entries.ticketCount), ranking file SHA-256 \(entries.digest)")
                lines += detail.rankingLines(limit: 25).map { "  " + $0.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "🏆 ", with: "") }
                if let note = detail.tieBreakNote ?? detail.pendingTieNote { lines.append(note) }
            }
            for excluded in entries.excluded { lines.append("  excluded: \(excluded.name) — \(excluded.reason)") }
            if let secret = detail.publishedSecret ?? detail.ranking?.secret { lines.append("Secret: \(secret)") }
            if let recipe = detail.recipe ?? (contest.status == .ended ? detail.lockRecipe : nil) {
                lines += recipe.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        } else if let entries = detail.entries {
            lines.append("")
            if entries.ticketCount == 0 {
                lines.append("Entries: none — nobody qualified, so there is no draw")
            } else {
                lines.append("Entries: N = \(entries.ticketCount) tickets, SHA-256 \(entries.digest)")
                lines.append("  (the file: clanbot contest entries \(contest.id) | sha256sum)")
                lines += TextTable.render(["Entrant", "Tickets"], entries.holders.map { [$0.name, "\($0.tickets)"] }, align: [.left, .right])
                    .map { "  " + $0 }
            }
            for excluded in entries.excluded { lines.append("  excluded: \(excluded.name) — \(excluded.reason)") }
            if detail.draw == nil, let secret = detail.publishedSecret {
                lines.append("")
                lines.append("Secret (published when the entries locked): \(secret)")
                if entries.ticketCount > 0, contest.status == .ended, let recipe = detail.lockRecipe {
                    lines += recipe.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                }
            }
        }
        if let draw = detail.draw {
            lines.append("")
            lines.append("Winners (drawn \(time(draw.drawnAt)))")
            for winner in draw.winners {
                lines.append("  \(winner.position). \(winner.displayName) (ticket \(winner.ticketIndex), line \(winner.ticketIndex + 1), counter \(winner.counter))")
            }
            if let note = detail.winnersNote { lines.append("  note: \(note)") }
            lines.append((detail.publishedSecret != nil ? "Secret (published when the entries locked): " : "Secret revealed: ") + draw.proof.secret)
            if let note = detail.precomputableNote { lines.append(note) }
            if let beacon = draw.proof.beacon { lines.append("Beacon round \(beacon.round): randomness \(beacon.randomness)") }
            lines.append("")
            lines += draw.proof.recipe.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.append("(the proof: clanbot contest proof \(contest.id) > proof.json)")
        }
        if contest.status == .cancelled {
            lines.append("")
            lines.append("Cancelled \(contest.cancelledAt.map(time) ?? ""): \(contest.cancelReason ?? "")")
        }
        return lines
    }

    static func standings(_ standings: ContestStandings) -> [String] {
        let table = standings.table
        let measured = table.soFar.map { "snapshots up to \(time($0))" } ?? "no snapshots yet"
        var lines = ["\(table.isFinal ? "Final standings" : "Standings") of contest #\(standings.contest.id) \"\(standings.contest.name)\" so far: \(measured)"]
        let notes = Dictionary(standings.evaluation.members.map { ($0.accountID, $0.notes) }, uniquingKeysWith: { first, _ in first })
        var rows: [[String]] = table.rows.map { row in
            let memberNotes = notes[row.entry.accountID] ?? []
            return ["\(row.place)", row.entry.name, "\(row.entry.score)",
                    (row.entry.detail ?? "") + (memberNotes.isEmpty ? "" : " (\(memberNotes.joined(separator: "; ")))")]
        }
        rows += table.excluded.map { ["-", $0.name, "-", "excluded: \($0.reason)"] }
        lines += TextTable.render(["#", "Member", table.unit.plural.capitalized, "Progress"], rows, align: [.right, .left, .right, .left])
        return lines
    }

    static func end(_ result: ContestEndResult) -> [String] {
        var lines: [String] = []
        if result.hasEntries {
            lines.append("Contest #\(result.detail.id) ended; its entries are locked. Publish these before the draw:")
        } else {
            lines.append("Contest #\(result.detail.id) ended without entries: nobody qualified, so it will not be drawn.")
        }
        return lines + [""] + detail(result.detail)
    }

    /// A repeated activate, end or cancel (`ContestService.perform` found its work done): where the contest is.
    static func alreadyDone(_ current: ContestDetail) -> [String] {
        let contest = current.contest
        var state: String
        switch contest.status {
        case .active:
            state = "Contest #\(contest.id) is already active" + (contest.activatedAt.map { " since \(time($0))" } ?? "")
                + "; its rules are locked and it ends \(time(contest.endAt))."
        case .cancelled:
            state = "Contest #\(contest.id) was already cancelled" + (contest.cancelledAt.map { " \(time($0))" } ?? "")
                + ": \(contest.cancelReason ?? "no reason given")."
        case .draft, .ended, .drawn:
            state = "Contest #\(contest.id) already ended" + (contest.endedAt.map { " \(time($0))" } ?? "")
            if let entries = contest.entries {
                state += ": \(entries.ticketCount) ticket\(entries.ticketCount == 1 ? "" : "s") locked, entry-list SHA-256 \(entries.digest)."
            } else {
                state += "."
            }
            if contest.status == .drawn { state += " It was drawn" + (contest.drawnAt.map { " \(time($0))" } ?? "") + "." }
        }
        return [state, ""] + detail(current)
    }
}
