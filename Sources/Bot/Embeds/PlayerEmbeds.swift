import Discord
import Domain
import Foundation
import Services

/// One player's snapshot and one member's gains.
enum PlayerEmbeds {
    static func snapshot(_ outcome: SnapshotOutcome) -> Embed {
        let record = outcome.snapshot.record
        var lines: [String] = []
        if let overall = record.overall, overall.isRanked {
            lines.append("Total level **\(Format.grouped(Int64(overall.level)))** · **\(Format.compact(overall.xp))** xp · rank \(Format.grouped(Int64(overall.rank)))")
        }
        lines.append("Board: \(outcome.snapshot.requestedBoard.key)" + (outcome.account.resolvedType.map { " · account type \($0.rawValue)" } ?? ""))
        if let change = outcome.typeChange { lines.append("⚠️ Account type changed: \(change.rawValue)") }
        if outcome.servedFromStore {
            lines.append("Fetched \(Format.timestamp(outcome.snapshot.fetchedAt)): looked up less than a minute ago, so this is the stored snapshot")
        } else {
            lines.append("Fetched \(Format.timestamp(outcome.snapshot.fetchedAt)) in \(Format.milliseconds(outcome.latencyMs))")
        }
        var builder = EmbedBuilder(title: "📜 \(outcome.account.displayName)", description: lines.joined(separator: "\n"), color: Palette.info)
        let skills = record.skills.filter { $0.name != "Overall" && $0.isRanked }.sorted { $0.xp > $1.xp }.prefix(8)
        if !skills.isEmpty {
            builder.addField("Top skills", skills.map { "\($0.name) **\($0.level)** · \(Format.compact($0.xp))" }.joined(separator: "\n"), inline: true)
        }
        let bosses = record.activities.filter { $0.isRanked && ActivityCategory(activityName: $0.name) == .boss }.sorted { $0.score > $1.score }.prefix(8)
        if !bosses.isEmpty {
            builder.addField("Top bosses", bosses.map { "\($0.name) **\(Format.grouped(Int64($0.score)))**" }.joined(separator: "\n"), inline: true)
        }
        if let delta = outcome.delta, delta.totalXPGained > 0 || !delta.activities.isEmpty {
            builder.addField("Since the previous snapshot (\(Format.timestamp(delta.startedAt)))",
                             "\(Format.gain(delta.totalXPGained)) xp · \(Format.gain(Int64(delta.totalLevelsGained))) \(delta.totalLevelsGained == 1 ? "level" : "levels")")
        }
        return builder.build()
    }

    static func gains(name: String, clanName: String, timeframe: Timeframe, window: TimeWindow, member: MemberWindow, delta: SnapshotDelta?,
                      timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current) -> Embed {
        var builder = EmbedBuilder(title: "📈 \(name) · \(timeframe.label(in: timeZone))", color: Palette.gold)
        builder.footer = clanName
        guard let delta else {
            // Say what there is, and how to get the second snapshot a gain needs.
            if let only = member.bounds.baseline ?? member.bounds.end {
                builder.description = "Only one snapshot of \(name) in \(window.days) (\(Format.timestamp(only.at, "f"))): "
                    + "gains show from the next one. Officers can take one now with `/snapshot run`."
            } else {
                builder.description = "No snapshot of \(name) in \(window.days) yet. Officers can take one now with `/snapshot run`."
            }
            return builder.build()
        }
        var lines = ["**\(Format.gain(delta.totalXPGained))** xp · **\(Format.gain(Int64(delta.totalLevelsGained)))** \(delta.totalLevelsGained == 1 ? "level" : "levels")",
                     "from \(Format.timestamp(delta.startedAt, "f")) to \(Format.timestamp(delta.endedAt, "f"))"]
        if member.bounds.partial { lines.append("ℹ️ Counted from their first snapshot inside the window.") }
        if delta.hasRollback { lines.append("↩️ Hiscores rollback on \(delta.rollbacks.joined(separator: ", ")): counted as no gain.") }
        builder.description = lines.joined(separator: "\n")
        let skills = delta.skills.filter { $0.xpGained > 0 }.sorted { $0.xpGained > $1.xpGained }
        if !skills.isEmpty {
            builder.addField("Skills", skills.prefix(12).map { skill in
                "\(skill.name) \(Format.gain(skill.xpGained))" + (skill.levelsGained > 0 ? " (\(skill.startLevel)→\(skill.endLevel))" : "")
            }.joined(separator: "\n"), inline: true)
        }
        let bosses = delta.activities(in: .boss).filter { $0.gained > 0 }.sorted { $0.gained > $1.gained }
        if !bosses.isEmpty {
            builder.addField("Bosses", bosses.prefix(12).map { "\($0.name) +\(Format.grouped($0.gained))" }.joined(separator: "\n"), inline: true)
        }
        let clues = ClueTier.allCases.compactMap { tier -> String? in
            let gained = delta.cluesGained(tier)
            return gained > 0 ? "\(tier.label) +\(gained)" : nil
        }
        if !clues.isEmpty { builder.addField("Clues", clues.joined(separator: " · ")) }
        if skills.isEmpty && bosses.isEmpty && clues.isEmpty { builder.addField("Nothing gained", "No xp, kills or clues in this window.") }
        return builder.build()
    }
}

extension ClueTier {
    /// The tier as a reader sees it: "hard", and "all tiers" for the game's total row.
    var label: String { self == .all ? "all tiers" : rawValue }
}
