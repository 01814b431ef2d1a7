import Domain
import Foundation

/// Realistic `index_lite.json` bodies built in code: all 25 skills (Sailing included) and the ~90
/// activity rows in the order the game serves them, unranked rows as the game writes them
/// (skill: rank -1, level 1, xp -1; activity: rank -1, score -1).
public enum HiscoresFixture {
    public static var skillNames: [String] { HiscoresRows.skillNames }
    public static var activityNames: [String] { HiscoresRows.activityNames }

    /// Experience needed for `level` (1...99), by the game's formula.
    public static let xpForLevel: [Int64] = {
        var table: [Int64] = [0, 0]  // index 0 unused, level 1 = 0 xp
        var points = 0.0
        for level in 1..<99 {
            points += (Double(level) + 300 * pow(2, Double(level) / 7)).rounded(.down)
            table.append(Int64((points / 4).rounded(.down)))
        }
        return table
    }()

    public static func level(forXP xp: Int64) -> Int {
        guard xp >= 0 else { return 1 }
        var level = 1
        while level < 99, xpForLevel[level + 1] <= xp { level += 1 }
        return level
    }

    /// One player's rows. Overall is recomputed from the other skills whenever the rows are encoded.
    public struct Player: Sendable, Hashable {
        public var skills: [SkillScore]
        public var activities: [ActivityScore]

        /// Everyone unranked.
        public static var unranked: Player {
            Player(
                skills: HiscoresFixture.skillNames.map { SkillScore(name: $0, rank: -1, level: 1, xp: -1) },
                activities: HiscoresFixture.activityNames.map { ActivityScore(name: $0, rank: -1, score: -1) })
        }

        /// A mid-game main: every skill ranked with xp spread around `averageXP`, about a third of the
        /// bosses and most clue tiers ranked. Deterministic for a given `seed`.
        public static func typical(seed: UInt64 = 1, averageXP: Int64 = 2_000_000) -> Player {
            var random = SeededGenerator(seed: seed)
            var player = Player.unranked
            for index in 1..<player.skills.count {
                let xp = Int64(Double(averageXP) * (0.3 + 1.4 * random.unit()))
                player.skills[index].xp = xp
                player.skills[index].level = HiscoresFixture.level(forXP: xp)
                player.skills[index].rank = 1 + Int(random.next() % 2_000_000)
            }
            for index in player.activities.indices {
                let name = player.activities[index].name
                let category = ActivityCategory(activityName: name)
                let chance: Double = category == .clue ? 0.8 : category == .boss ? 0.35 : 0.15
                guard random.unit() < chance else { continue }
                let minimum = ActivityRanking.knownMinimum(for: name) ?? 1
                player.activities[index].score = minimum + Int(random.next() % 900)
                player.activities[index].rank = 1 + Int(random.next() % 500_000)
            }
            player.recomputeOverall()
            return player
        }

        /// Sets a skill's xp (and the level that goes with it); -1 makes it unranked.
        public func with(skill name: String, xp: Int64, rank: Int = 1000) -> Player {
            var copy = self
            if let index = copy.skills.firstIndex(where: { $0.name == name }) {
                copy.skills[index] = xp < 0
                    ? SkillScore(name: name, rank: -1, level: 1, xp: -1)
                    : SkillScore(name: name, rank: rank, level: HiscoresFixture.level(forXP: xp), xp: xp)
            }
            copy.recomputeOverall()
            return copy
        }

        /// Sets an activity's score; -1 makes it unranked. An unknown name is appended as a new row.
        public func with(activity name: String, score: Int, rank: Int = 1000) -> Player {
            var copy = self
            let row = ActivityScore(name: name, rank: score < 0 ? -1 : rank, score: score < 0 ? -1 : score)
            if let index = copy.activities.firstIndex(where: { $0.name == name }) {
                copy.activities[index] = row
            } else {
                copy.activities.append(row)
            }
            return copy
        }

        /// Multiplies every ranked skill's xp (to make the same account's figures on another board).
        public func scalingXP(by factor: Double) -> Player {
            var copy = self
            for index in 1..<copy.skills.count where copy.skills[index].xp >= 0 {
                let xp = Int64(Double(copy.skills[index].xp) * factor)
                copy.skills[index].xp = xp
                copy.skills[index].level = HiscoresFixture.level(forXP: xp)
            }
            copy.recomputeOverall()
            return copy
        }

        public var overallXP: Int64 { skills.first?.xp ?? -1 }

        public var record: HiscoresRecord { HiscoresRecord(skills: skills, activities: activities) }

        private mutating func recomputeOverall() {
            guard skills.first?.name == "Overall" else { return }
            let ranked = skills.dropFirst().filter { $0.xp >= 0 }
            if ranked.isEmpty {
                skills[0] = SkillScore(name: "Overall", rank: -1, level: skills.count - 1, xp: -1)
            } else {
                let xp = ranked.reduce(Int64(0)) { $0 + $1.xp }
                let level = skills.dropFirst().reduce(0) { $0 + max(1, $1.level) }
                skills[0] = SkillScore(name: "Overall", rank: max(1, 3_000_000 - Int(xp / 100)), level: level, xp: xp)
            }
        }

        /// The body exactly as the game writes it (compact, ids by position).
        public var json: String {
            var out = "{\"skills\":["
            out.reserveCapacity(8_000)
            for (id, skill) in skills.enumerated() {
                if id > 0 { out += "," }
                out += "{\"id\":\(id),\"name\":\"\(Self.escape(skill.name))\",\"rank\":\(skill.rank),\"level\":\(skill.level),\"xp\":\(skill.xp)}"
            }
            out += "],\"activities\":["
            for (id, activity) in activities.enumerated() {
                if id > 0 { out += "," }
                out += "{\"id\":\(id),\"name\":\"\(Self.escape(activity.name))\",\"rank\":\(activity.rank),\"score\":\(activity.score)}"
            }
            out += "]}"
            return out
        }

        private static func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
    }
}
