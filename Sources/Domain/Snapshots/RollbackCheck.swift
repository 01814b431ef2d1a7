/// Finds the rows a snapshot lost against an earlier one: the sign of a hiscores rollback (the game's
/// hiscores were rolled back twice in 2025).
///
/// Only rows that never go down in play count: a skill's xp, a boss's kills, a clue tier's count and
/// Collections Logged, each ranked in both snapshots. The hiscores serve whole numbers, so there is no
/// rounding to allow for: any drop counts. Ratings and spendable points (LMS, PvP Arena, Soul Wars Zeal,
/// league points) may fall for real and are never taken for a rollback; a row that leaves the ranking
/// is not a loss either.
public enum RollbackCheck {
    /// The names of the rows that went down from `earlier` to `later`, in the later snapshot's order.
    public static func lostRows(from earlier: HiscoresRecord, to later: HiscoresRecord) -> [String] {
        var skills: [String: Int64] = [:]
        for skill in earlier.skills where skill.name != "Overall" && skill.isRanked { skills[skill.name] = skill.xp }
        var scores: [String: Int] = [:]
        for activity in earlier.activities where activity.isRanked && neverFalls(activity.name) {
            scores[activity.name] = activity.score
        }
        var lost: [String] = []
        for skill in later.skills where skill.isRanked {
            if let before = skills[skill.name], skill.xp < before { lost.append(skill.name) }
        }
        for activity in later.activities where activity.isRanked {
            if let before = scores[activity.name], activity.score < before { lost.append(activity.name) }
        }
        return lost
    }

    /// Kill counts, clue counts and the collection log only ever grow in play.
    static func neverFalls(_ activityName: String) -> Bool {
        switch ActivityCategory(activityName: activityName) {
        case .boss, .clue: true
        case .other: activityName == "Collections Logged"
        case .minigame, .points: false
        }
    }
}
