import Domain
import Foundation
import Services
import Storage

/// 30-day leaderboards of the 500-member dataset, cold (nothing cached) and warm.
let leaderboardBenchmark = Benchmark(name: "leaderboard", summary: "30-day leaderboards for 500 members, cold and warm cache") {
    let data = try await BenchClanDataset.shared.dataset()
    let now = data.now
    let clanID = data.clanID
    let store = try await Store(path: data.path)
    let metrics: [LeaderboardMetric] = [.xpGained, .levelsGained, .skillXP(skill: "Attack"), .bossKC(boss: "Zulrah"), .clues(.all)]

    let first = try await measureAsyncMilliseconds {
        _ = try await LeaderboardService(store: store, clock: { now }).leaderboard(clanID: clanID, metric: .xpGained, timeframe: .last30Days)
    }
    report("cold xp_gained, first query on a new connection", first, "ms", target: "< 50 ms")
    for metric in metrics {
        let cold = try await samples(9) {
            try await store.write { db in try db.aggregateCache.invalidate(clanID: clanID) }
            _ = try await LeaderboardService(store: store, clock: { now }).leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days)
        }
        let service = LeaderboardService(store: store, clock: { now })
        let board = try await service.leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days)
        let warm = try await samples(500) { _ = try await service.leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days) }
        let decoded = try await samples(20) {
            _ = try await LeaderboardService(store: store, clock: { now }).leaderboard(clanID: clanID, metric: metric, timeframe: .last30Days)
        }
        report("\(metric.cacheKey): rows ranked", Double(board.rows.count), "members")
        report("\(metric.cacheKey): cold, median of 9", median(cold), "ms", target: "< 50 ms")
        report("\(metric.cacheKey): warm in process, median", median(warm) * 1000, "µs", target: "< 1 ms")
        report("\(metric.cacheKey): warm, decoded from the database", median(decoded), "ms")
    }
    try await store.close()
}
