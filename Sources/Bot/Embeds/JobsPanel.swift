import Discord
import Domain
import Foundation
import Services

/// The jobs panel: a batch run's status, per-member results and errors, with a Refresh button.
enum JobsPanel {
    static func icon(_ status: BatchRun.Status) -> String {
        switch status {
        case .queued: "🕓"
        case .running: "⏳"
        case .succeeded: "✅"
        case .partial: "⚠️"
        case .failed: "❌"
        }
    }

    static func icon(_ status: BatchMember.Status) -> String {
        switch status {
        case .queued: "🕓"
        case .running: "⏳"
        case .succeeded: "✅"
        case .failed: "❌"
        case .skipped: "⏭️"
        }
    }

    static func color(_ status: BatchRun.Status) -> Int {
        switch status {
        case .queued, .running: Palette.running
        case .succeeded: Palette.success
        case .partial: Palette.warning
        case .failed: Palette.failure
        }
    }

    static func embed(run: BatchRun, members: [BatchMember], clanName: String) -> Embed {
        let done = members.filter { $0.status == .succeeded || $0.status == .failed || $0.status == .skipped }.count
        let failed = members.filter { $0.status == .failed }
        let total = max(members.count, run.memberCount)
        var lines = ["\(icon(run.status)) **\(run.status.rawValue)** · \(done)/\(total) done"
                     + (failed.isEmpty ? "" : " · \(failed.count) failed")]
        lines.append(progressBar(done: done, total: total))
        let started = run.startedAt ?? run.queuedAt
        var timing = "started \(Format.timestamp(started))"
        if let finished = run.finishedAt {
            timing += " · took \(Format.duration(finished.timeIntervalSince(started)))"
        }
        lines.append(timing + " · " + origin(run))
        if let error = run.error { lines.append("**Error:** \(error)") }
        var builder = EmbedBuilder(title: "📸 Snapshot run · \(clanName)", description: lines.joined(separator: "\n"), color: color(run.status))
        builder.footer = "job \(run.jobID) · " + (run.mode == .auto ? "each member's own hiscores board" : "\(run.mode.key) hiscores board")
        if !failed.isEmpty {
            builder.addField("❌ Failed", failed.map { "**\($0.displayName)** — \(failureReason($0))" }.joined(separator: "\n"))
        }
        let succeeded = members.filter { $0.status == .succeeded }
        if !succeeded.isEmpty {
            builder.addField("✅ Snapshotted", succeeded.map { "\($0.displayName) · \(Format.milliseconds($0.latencyMs))" }.joined(separator: "\n"), inline: true)
        }
        let waiting = members.filter { $0.status == .queued || $0.status == .running }
        if !waiting.isEmpty {
            builder.addField("⏳ Waiting", waiting.map { "\(icon($0.status)) \($0.displayName)" }.joined(separator: "\n"), inline: true)
        }
        let skipped = members.filter { $0.status == .skipped }
        if !skipped.isEmpty {
            builder.addField("⏭️ Skipped", skipped.map(\.displayName).joined(separator: ", "))
        }
        if members.isEmpty { builder.addField("Members", "The clan had no active members to snapshot.") }
        return builder.build()
    }

    /// Who or what started the run: "by <@id>" for a command, "scheduled" for the schedule.
    static func origin(_ run: BatchRun) -> String {
        if run.source == "schedule" { return "scheduled run" }
        guard let who = run.requestedBy else { return run.source == "manual" ? "started by hand" : "started from \(run.source)" }
        return who.allSatisfy(\.isNumber) ? "by <@\(who)>" : "by \(who)"
    }

    /// Why a member failed, for people: the stored message (already a sentence), else the kind in words.
    static func failureReason(_ member: BatchMember) -> String {
        if let error = member.error, !error.isEmpty { return error }
        return failureKind(member.errorKind)
    }

    /// The stored error kind ("not_found", "timeout", …) in a few words.
    static func failureKind(_ kind: String?) -> String { Wording.batchFailure(kind) }

    static func buttons(jobID: String) -> [ActionRow] {
        [ActionRow([Button("Refresh", customID: CustomID.refreshJob(jobID).text, emoji: "🔄")].compactMap { $0 })]
    }

    static func message(run: BatchRun, members: [BatchMember], clanName: String) -> MessagePayload {
        MessagePayload(embeds: [embed(run: run, members: members, clanName: clanName)], components: buttons(jobID: run.jobID))
    }

    static func progressBar(done: Int, total: Int, width: Int = 16) -> String {
        guard total > 0 else { return "" }
        let filled = min(width, done * width / total)
        return String(repeating: "▰", count: filled) + String(repeating: "▱", count: width - filled) + " \(done * 100 / total)%"
    }
}
