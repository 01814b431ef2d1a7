/// The custom_id of clanbot's buttons: `action|arg|arg…` (at most 100 characters, Discord's limit).
/// Everything a press needs is in the id, so a button keeps working after a restart; nothing in it is
/// trusted: the press is parsed again and permission-checked like a command.
///
///     snap.run|<clanID>                                 Run snapshot now (leaders and officers)
///     jobs.refresh|<jobID>                              Refresh a jobs panel (anyone)
///     lb.page|<clanID>|<kind>|<parameter>|<timeframe>|<page>   Leaderboard page (anyone)
///     contest.draw|<clanID>|<contestID>                 Draw (the clan's leader)
///     cs.page|<clanID>|<contestID>|<page>               Contest standings page (anyone)
struct CustomID: Sendable, Equatable {
    static let separator: Character = "|"

    var action: String
    var arguments: [String]

    init(_ action: String, _ arguments: [String] = []) {
        self.action = action
        self.arguments = arguments
    }

    init?(parsing text: String) {
        let parts = text.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        action = first
        arguments = Array(parts.dropFirst())
    }

    var text: String { ([action] + arguments).joined(separator: String(Self.separator)) }

    func argument(_ index: Int) -> String? { arguments.indices.contains(index) ? arguments[index] : nil }
    func int64(_ index: Int) -> Int64? { argument(index).flatMap { Int64($0) } }

    static func runSnapshot(clanID: Int64) -> CustomID { CustomID("snap.run", [String(clanID)]) }
    static func refreshJob(_ jobID: String) -> CustomID { CustomID("jobs.refresh", [jobID]) }
    static func draw(clanID: Int64, contestID: Int64) -> CustomID { CustomID("contest.draw", [String(clanID), String(contestID)]) }
}
