import Foundation

/// Changes to a draft contest; a nil field stays as it is. An empty `prize` or `description`, or "-" (what a
/// person types where an empty value cannot be given), clears it.
/// Once a contest is active its name, window and winner count are part of what was announced, so only
/// drafts change (`ContestEvent.edit`).
public struct ContestDraftEdit: Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var prize: String?
    public var startAt: Date?
    public var endAt: Date?
    public var winnersCount: Int?
    public var randomness: ContestRandomnessChoice?

    public init(name: String? = nil, description: String? = nil, prize: String? = nil, startAt: Date? = nil, endAt: Date? = nil,
                winnersCount: Int? = nil, randomness: ContestRandomnessChoice? = nil) {
        self.name = name
        self.description = description
        self.prize = prize
        self.startAt = startAt
        self.endAt = endAt
        self.winnersCount = winnersCount
        self.randomness = randomness
    }

    /// True when nothing would change.
    public var isEmpty: Bool {
        name == nil && description == nil && prize == nil && startAt == nil && endAt == nil && winnersCount == nil && randomness == nil
    }

    /// `contest` with these changes, checked as a new draft is (name, window, winner count).
    func applied(to contest: Contest) throws(ContestTransitionError) -> Contest {
        let cleared = { (text: String?, current: String?) -> String? in
            guard let text else { return current }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty || trimmed == "-" ? nil : trimmed
        }
        let checked = try Contest(id: contest.id, clanID: contest.clanID, name: name ?? contest.name,
                                  description: cleared(description, contest.description), prize: cleared(prize, contest.prize),
                                  startAt: startAt ?? contest.startAt, endAt: endAt ?? contest.endAt,
                                  winnersCount: winnersCount ?? contest.winnersCount)
        var next = contest
        next.name = checked.name
        next.description = checked.description
        next.prize = checked.prize
        next.startAt = checked.startAt
        next.endAt = checked.endAt
        next.winnersCount = checked.winnersCount
        next.randomnessChoice = randomness ?? contest.randomnessChoice
        return next
    }
}
