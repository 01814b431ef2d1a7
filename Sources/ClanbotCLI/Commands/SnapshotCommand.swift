import Domain
import Foundation
import Hiscores
import Services

/// `clanbot snapshot <rsn> [--board ironman]`: fetch one player, store the snapshot, print it.
enum SnapshotCommand {
    static let subcommand = Subcommand(
        name: "snapshot",
        summary: "fetch one player's hiscores now and store the snapshot",
        usage: """
        Usage: clanbot snapshot <rsn> [--board regular|ironman|hardcore|ultimate|deadman|seasonal|tournament|fresh_start]
                                [--rate REQUESTS_PER_SECOND] [--db PATH] [--hiscores-base URL]

        Without --board the account's own board is read; its type (regular, ironman, hardcore,
        ultimate) is worked out by comparing boards when unknown or a week old, and stored.
        Prints the skills, the ranked activities and the change since the previous snapshot.
        """
    ) { context in
        let arguments = try CommandArguments(context.arguments, options: ["board", "rate"])
        guard arguments.positionals.count == 1 else {
            throw CommandLineError.usage("snapshot takes one player name (quote names with spaces: \"Iron Man\")")
        }
        let board = try CommandServices.board(arguments.values["board"])
        let services = try await CommandServices.full(context.configuration, requestsPerSecond: arguments.values["rate"])
        let outcome: SnapshotOutcome
        do {
            outcome = try await services.snapshots.snapshot(name: arguments.positionals[0], board: board)
        } catch let error as HiscoresError {
            context.output.error("clanbot snapshot: \(error)")
            return error.isNotFound ? 2 : 1
        }
        for line in render(outcome) { context.output.print(line) }
        return 0
    }

    static func render(_ outcome: SnapshotOutcome) -> [String] {
        let snapshot = outcome.snapshot
        let type = outcome.account.resolvedType?.rawValue ?? "unknown"
        var lines = [
            "\(outcome.account.displayName) — \(snapshot.requestedBoard.key) board, account type \(type)",
            "Snapshot #\(snapshot.id) at \(ISO8601Time.string(snapshot.fetchedAt)), \(outcome.latencyMs) ms"
                + (outcome.attempts > 1 ? " (\(outcome.attempts) requests)" : ""),
        ]
        if let change = outcome.typeChange { lines.append("Account type changed: \(change.rawValue)") }
        lines.append("")
        let delta = outcome.delta
        lines += TextTable.render(["Skill", "Level", "XP", "Rank"] + (delta == nil ? [] : ["XP gained"]),
            snapshot.record.skills.map { skill in
                let gained = delta?.skill(named: skill.name).map { TextTable.number($0.xpGained) }
                return [skill.name, skill.isRanked ? "\(skill.level)" : "-", skill.xp >= 0 ? TextTable.number(skill.xp) : "-",
                        skill.rank > 0 ? TextTable.number(skill.rank) : "-"] + (delta == nil ? [] : [gained ?? ""])
            }, align: [.left, .right, .right, .right, .right])
        let ranked = snapshot.record.activities.filter(\.isRanked)
        if !ranked.isEmpty {
            lines.append("")
            lines += TextTable.render(["Activity", "Score", "Rank"] + (delta == nil ? [] : ["Gained"]), ranked.map { activity in
                let gained = delta?.activity(named: activity.name).map { TextTable.number($0.gained) }
                return [activity.name, TextTable.number(activity.score), TextTable.number(activity.rank)] + (delta == nil ? [] : [gained ?? ""])
            }, align: [.left, .right, .right, .right])
        }
        if let delta {
            lines.append("")
            lines.append("Since the previous snapshot (\(String(format: "%.1f", delta.hours)) h ago): "
                         + "\(TextTable.number(delta.totalXPGained)) XP, \(delta.totalLevelsGained) levels")
            if delta.hasRollback { lines.append("Hiscores rollback in: \(delta.rollbacks.joined(separator: ", ")) (counted as no gain)") }
        }
        return lines
    }
}
