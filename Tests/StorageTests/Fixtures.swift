import Domain
import Foundation
@testable import Storage

enum Fixtures {
    static let guild = "123456789012345678"
    static let otherGuild = "876543210987654321"
    static let t0 = Date(epochMilliseconds: 1_732_000_000_000)

    static func at(hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

    /// A small hiscores response: Overall, two skills, a clue row and a boss, with `gain` added to the xp.
    static func record(gain: Int64 = 0, zulrah: Int = -1, extraActivity: String? = nil) -> HiscoresRecord {
        var activities = [
            ActivityScore(name: "Clue Scrolls (all)", rank: 1000, score: 12),
            ActivityScore(name: "Zulrah", rank: zulrah < 0 ? -1 : 5000, score: zulrah),
        ]
        if let extraActivity { activities.append(ActivityScore(name: extraActivity, rank: 7, score: 42)) }
        return HiscoresRecord(
            skills: [
                SkillScore(name: "Overall", rank: 100, level: 1500, xp: 50_000_000 + 2 * gain),
                SkillScore(name: "Attack", rank: 200, level: 99, xp: 13_034_431 + gain),
                SkillScore(name: "Sailing", rank: -1, level: 1, xp: -1 + gain),
            ],
            activities: activities)
    }

    static func account(_ db: Database, _ name: String) throws -> Account {
        try db.accounts.findOrCreate(RSN(name), now: t0)
    }
}
