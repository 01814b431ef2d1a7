import Domain
import Foundation
import Services

/// A lifecycle step typed again after its work was done (often by the bot itself: it ends contests at their end
/// time): the answer is the contest's current state, not a refusal.
enum ContestRepeats {
    /// The sentence saying where the contest already is (`ContestLifecycleStep.isDone` decided the step is done).
    static func state(_ detail: ContestDetail) -> String {
        let contest = detail.contest
        let name = "**\(contest.name)**"
        switch contest.status {
        case .active:
            let since = contest.activatedAt.map { " since \(Format.timestamp($0, "f"))" } ?? ""
            return "\(name) is already active\(since): its rules are locked and its commitment is published. It ends \(Format.timestamp(contest.endAt, "f"))."
        case .cancelled:
            let at = contest.cancelledAt.map { " \(Format.timestamp($0, "f"))" } ?? ""
            return "\(name) was already cancelled\(at): \(contest.cancelReason ?? "no reason given")."
        case .draft, .ended, .drawn:
            return ended(detail)
        }
    }

    /// "Summer XP already ended <time>: 3 tickets locked, entry-list SHA-256 `…`", and the draw once there is one.
    static func ended(_ detail: ContestDetail) -> String {
        let contest = detail.contest
        let at = contest.endedAt.map { " \(Format.timestamp($0, "f"))" } ?? ""
        var text = "**\(contest.name)** already ended\(at)"
        if let entries = contest.entries {
            text += ": \(Format.plural(Int(entries.ticketCount), "ticket")) locked, entry-list SHA-256 `\(entries.digest)`."
        } else {
            text += "."
        }
        if contest.status == .drawn {
            text += " It was drawn" + (contest.drawnAt.map { " \(Format.timestamp($0, "f"))" } ?? "") + "; `/contest show` has the winners."
        } else if (contest.entries?.ticketCount ?? 0) > 0 {
            text += " A leader can draw it now."
        }
        return text
    }
}
