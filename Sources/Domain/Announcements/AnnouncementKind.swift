/// What the bot can post in a clan's announcements channel. Officers choose which with `/announce set events:`.
public enum AnnouncementKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A contest went live, with its commitment.
    case contestActivated = "contest.activated"
    /// A contest's entries were locked, with the entry-list digest (or it ended without entries).
    case contestEnded = "contest.ended"
    /// A contest's winners were drawn, with the proof and how to verify it.
    case contestDrawn = "contest.drawn"
    /// A contest was called off.
    case contestCancelled = "contest.cancelled"
    /// A running contest ends in 24 hours, or in 1 hour (`ContestReminder`).
    case contestReminder = "contest.reminder"
    /// A running contest's standings, on the schedule officers chose (`/announce standings`), and the final ones
    /// of a raffle when it ends.
    case contestStandings = "contest.standings"
    /// A member reached a milestone (99s, 200M xp, boss kills, clues, …).
    case achievement = "achievement"
    /// A snapshot run finished: the top gainers, not one line per member.
    case batchSummary = "snapshot.summary"
    /// Members added to the clan (`/clan add`).
    case memberJoined = "member.joined"
    /// Members who left (`/clan remove`).
    case memberLeft = "member.left"
    /// A member's in-game name change followed (`/clan rename`).
    case memberRenamed = "member.renamed"
    /// A hardcore ironman died: the account's type went from hardcore to ironman between two snapshots.
    case hardcoreDied = "hardcore.died"

    /// A sentence for people: what a post of this kind says.
    public var summary: String {
        switch self {
        case .contestActivated: "a contest starts (with its commitment)"
        case .contestEnded: "a contest's entries are locked (with the entry-list digest)"
        case .contestDrawn: "a contest's winners are drawn (with the proof and how to verify it)"
        case .contestCancelled: "a contest is cancelled"
        case .contestReminder: "a contest ends in 24 hours, and in 1 hour"
        case .contestStandings: "a running contest's standings on the schedule of `/announce standings`, and the final ones"
        case .achievement: "a member reaches a milestone (99s, 200M xp, boss kills, clues…)"
        case .batchSummary: "a scheduled snapshot run finished (top gainers of the day or week)"
        case .memberJoined: "members join the clan"
        case .memberLeft: "members leave the clan"
        case .memberRenamed: "a member's name change is followed"
        case .hardcoreDied: "a hardcore ironman dies (hardcore → ironman)"
        }
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let unknown: [String]
        public var description: String {
            "unknown announcement\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); "
                + "known: \(AnnouncementKind.allCases.map(\.rawValue).joined(separator: ", ")), or 'all'"
        }
    }

    /// Parses "contest.drawn, achievement" (commas or spaces). Empty text or "all" means every kind;
    /// "contest" means every contest step with the reminders (standings are chosen on their own, with a schedule:
    /// `/announce standings`), "members" every roster change.
    public static func parseList(_ text: String) throws(ParseError) -> Set<AnnouncementKind> {
        let (kinds, unknown) = OptionList.parse(text) { (word: String) -> [AnnouncementKind]? in
            switch word {
            case "contest", "contests": [.contestActivated, .contestEnded, .contestDrawn, .contestCancelled, .contestReminder]
            case "reminders": [.contestReminder]
            case "standings": [.contestStandings]
            case "achievements": [.achievement]
            case "members", "roster": [.memberJoined, .memberLeft, .memberRenamed]
            case "summary", "summaries": [.batchSummary]
            default: nil
            }
        }
        guard unknown.isEmpty else { throw ParseError(unknown: unknown) }
        return kinds
    }
}
