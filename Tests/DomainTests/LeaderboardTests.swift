import Foundation
import Testing
@testable import Domain

/// Builds records and member windows with only the rows a test cares about.
enum StatsFixture {
    static let day: TimeInterval = 86_400
    static let window = TimeWindow(start: Date(timeIntervalSince1970: 10 * day), end: Date(timeIntervalSince1970: 40 * day))

    static func record(overallXP: Int64, level: Int = 100, attackXP: Int64 = -1, zulrah: Int = -1, hardClues: Int = -1) -> HiscoresRecord {
        HiscoresRecord(
            skills: [
                SkillScore(name: "Overall", rank: overallXP < 0 ? -1 : 1000, level: level, xp: overallXP),
                SkillScore(name: "Attack", rank: attackXP < 0 ? -1 : 500, level: attackXP < 0 ? 1 : 50, xp: attackXP),
            ],
            activities: [
                ActivityScore(name: "Zulrah", rank: zulrah < 0 ? -1 : 10, score: zulrah),
                ActivityScore(name: "Clue Scrolls (hard)", rank: hardClues < 0 ? -1 : 10, score: hardClues),
            ])
    }

    static func member(_ id: Int64, _ name: String, from start: HiscoresRecord?, to end: HiscoresRecord?, partial: Bool = false) -> MemberWindow {
        let baseline = start.map { _ in SnapshotMark(id: id * 10, at: partial ? window.start.addingTimeInterval(day) : window.start.addingTimeInterval(-day)) }
        let last = end.map { _ in SnapshotMark(id: id * 10 + 1, at: window.end.addingTimeInterval(-day)) }
        let empty = HiscoresRecord(skills: [], activities: [])
        return MemberWindow(accountID: id, name: name, bounds: WindowBounds(baseline: baseline, end: last, partial: partial),
                            baselineRecord: start ?? empty, endRecord: end ?? empty)
    }
}

@Suite struct WindowBoundsTests {
    let window = StatsFixture.window
    func mark(_ id: Int64, day: Double) -> SnapshotMark { SnapshotMark(id: id, at: Date(timeIntervalSince1970: day * 86_400)) }

    @Test func baselineIsTheLastSnapshotAtOrBeforeTheStart() {
        let bounds = WindowBounds.select(from: [mark(1, day: 5), mark(2, day: 10), mark(3, day: 20), mark(4, day: 41)], in: window)
        #expect(bounds.baseline?.id == 2)
        #expect(bounds.end?.id == 3)
        #expect(!bounds.partial && bounds.hasData)
    }

    @Test func withoutAnEarlierSnapshotTheFirstInsideIsAPartialBaseline() {
        let bounds = WindowBounds.select(from: [mark(7, day: 25), mark(6, day: 15)], in: window)
        #expect(bounds.baseline?.id == 6)
        #expect(bounds.end?.id == 7)
        #expect(bounds.partial && bounds.hasData)
    }

    @Test func oneSnapshotOrNoneInTheWindowIsNoData() {
        #expect(!WindowBounds.select(from: [mark(1, day: 5)], in: window).hasData)
        #expect(!WindowBounds.select(from: [mark(1, day: 15)], in: window).hasData)
        #expect(!WindowBounds.select(from: [mark(1, day: 45)], in: window).hasData)
        #expect(!WindowBounds.select(from: [], in: window).hasData)
    }
}

@Suite struct LeaderboardTests {
    typealias F = StatsFixture

    @Test func tiesShareARankAndNoDataIsListedApart() {
        let members = [
            F.member(1, "Alice", from: F.record(overallXP: 1_000), to: F.record(overallXP: 6_000)),   // 5000
            F.member(2, "bob", from: F.record(overallXP: 2_000), to: F.record(overallXP: 4_000)),     // 2000
            F.member(3, "Carol", from: F.record(overallXP: 500), to: F.record(overallXP: 2_500)),     // 2000
            F.member(4, "Dan", from: F.record(overallXP: 9_000), to: F.record(overallXP: 9_100)),     // 100
            F.member(5, "Eve", from: nil, to: nil),
        ]
        let board = Leaderboard.build(metric: .xpGained, timeframe: "30d", window: F.window, generatedAt: F.window.end, members: members)
        #expect(board.rows.map(\.name) == ["Alice", "bob", "Carol", "Dan"])
        #expect(board.rows.map(\.value) == [5_000, 2_000, 2_000, 100])
        #expect(board.rows.map(\.rank) == [1, 2, 2, 4])
        #expect(board.withoutData == [MemberRef(accountID: 5, name: "Eve")])
    }

    @Test func rollbackCountsAsNoGainAndIsFlagged() {
        let members = [F.member(1, "Alice", from: F.record(overallXP: 5_000), to: F.record(overallXP: 4_000))]
        let board = Leaderboard.build(metric: .xpGained, timeframe: "7d", window: F.window, generatedAt: F.window.end, members: members)
        #expect(board.rows.first?.value == 0)
        #expect(board.rows.first?.rollback == true)
    }

    @Test func bossFromUnrankedCountsFromTheMinimumAndIsEstimated() {
        // Zulrah needs 5 kills to rank: -1 → 12 counts 12 - 4 = 8, not 13.
        let members = [
            F.member(1, "Alice", from: F.record(overallXP: 1, zulrah: -1), to: F.record(overallXP: 1, zulrah: 12), partial: true),
            F.member(2, "Bob", from: F.record(overallXP: 1, zulrah: 20), to: F.record(overallXP: 1, zulrah: 27)),
        ]
        let board = Leaderboard.build(metric: .bossKC(boss: "zulrah"), timeframe: "7d", window: F.window, generatedAt: F.window.end, members: members)
        #expect(board.rows.map(\.value) == [8, 7])
        #expect(board.rows[0].estimated && board.rows[0].partial)
        #expect(!board.rows[1].estimated && !board.rows[1].partial)
    }

    @Test func metricsParseWithTheirParameter() throws {
        #expect(try LeaderboardMetric(kind: "skill_xp", parameter: "Attack") == .skillXP(skill: "Attack"))
        #expect(try LeaderboardMetric(kind: "clues", parameter: nil) == .clues(.all))
        #expect(try LeaderboardMetric(kind: "clues", parameter: "Hard") == .clues(.hard))
        #expect(throws: LeaderboardMetricError.self) { try LeaderboardMetric(kind: "boss_kc", parameter: nil) }
        #expect(throws: LeaderboardMetricError.unknownClueTier("shiny")) { try LeaderboardMetric(kind: "clues", parameter: "shiny") }
        #expect(throws: LeaderboardMetricError.unknownKind("kills")) { try LeaderboardMetric(kind: "kills", parameter: nil) }
        #expect(LeaderboardMetric.skillXP(skill: "Attack").cacheKey == "skill_xp:Attack")
    }
}

@Suite struct ClanStatsTests {
    typealias F = StatsFixture

    @Test func totalsPerformersAndBothKindsOfSlackers() {
        let members = [
            F.member(1, "Alice", from: F.record(overallXP: 1_000, level: 100, attackXP: 100, zulrah: 10, hardClues: 2),
                     to: F.record(overallXP: 3_000, level: 103, attackXP: 2_100, zulrah: 15, hardClues: 5)),
            F.member(2, "Bob", from: F.record(overallXP: 500, level: 50), to: F.record(overallXP: 700, level: 51)),
            F.member(3, "Idle", from: F.record(overallXP: 800, zulrah: 7), to: F.record(overallXP: 800, zulrah: 7)),
            F.member(4, "Gone", from: nil, to: nil),
        ]
        let stats = ClanStats.build(timeframe: "30d", window: F.window, generatedAt: F.window.end, members: members)
        #expect(stats.memberCount == 4)
        #expect(stats.membersWithData == 3)
        #expect(stats.totalXPGained == 2_000 + 200)
        #expect(stats.totalLevelsGained == 3 + 1)
        #expect(stats.skills.first { $0.name == "Attack" }?.xpGained == 2_000)
        #expect(stats.bosses.map(\.name) == ["Zulrah"])
        #expect(stats.bosses.first?.gained == 5)
        #expect(stats.clues.first?.gained == 3)
        #expect(stats.topPerformers.map(\.name) == ["Alice", "Bob"])
        #expect(stats.slackers.map(\.name) == ["Idle", "Gone"])
        #expect(stats.slackers.map(\.reason) == [.noGain, .noData])
    }

    @Test func partialBaselinesAndRollbacksAreNoted() {
        let members = [
            F.member(1, "New", from: F.record(overallXP: 1_000), to: F.record(overallXP: 1_500), partial: true),
            F.member(2, "Rolled", from: F.record(overallXP: 1_000), to: F.record(overallXP: 900)),
        ]
        let stats = ClanStats.build(timeframe: "7d", window: F.window, generatedAt: F.window.end, members: members)
        #expect(stats.partialBaselines.map(\.name) == ["New"])
        #expect(stats.rollbacks.map(\.name) == ["Rolled"])
        #expect(stats.rollbacks.first?.detail.contains("Overall") == true)
        #expect(stats.totalXPGained == 500)
    }
}
