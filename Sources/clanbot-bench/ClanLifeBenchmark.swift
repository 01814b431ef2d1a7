import Domain
import Foundation
import Services
import Storage

/// Achievements and records over the 500-member × 365-day dataset (the leaderboard benchmark's data), cold and warm.
let clanLifeBenchmark = Benchmark(name: "clan-life", summary: "achievements and records for 500 members × 365 daily snapshots, cold and warm") {
    let data = try await BenchClanDataset.shared.dataset()
    let clanID = data.clanID
    let store = try Store(path: data.path)
    let now = data.now

    // Records: every member's best day, week and month of a metric, from all their snapshots.
    for metric in [LeaderboardMetric.xpGained, .skillXP(skill: "Attack"), .bossKC(boss: "Zulrah")] {
        let cold = try await samples(3) { _ = try await RecordsService(store: store, clock: { now }).compute(clanID: clanID, metric: metric) }
        let service = RecordsService(store: store, clock: { now })
        let records = try await service.records(clanID: clanID, metric: metric)
        let warm = try await samples(200) { _ = try await service.records(clanID: clanID, metric: metric) }
        report("records \(metric.cacheKey): members with a best week", Double(records.records(.week).count), "members")
        report("records \(metric.cacheKey): cold (365 snapshots × 500 members), median of 3", median(cold), "ms", target: "< 1 s")
        report("records \(metric.cacheKey): warm in process, median", median(warm) * 1000, "µs", target: "< 1 ms")
    }

    // Achievements: what every snapshot of the year does (detect against the one before), over whole member-years.
    // Loading full snapshots of all 500 members at once would take gigabytes, so `sampled` members are loaded and
    // the year's total is extrapolated from them.
    let sampled = 25
    let members = try await store.read { db in try db.batchRuns.activeMembers(clanID: clanID) }.prefix(sampled)
    var years: [[PlayerSnapshot]] = []
    let load = try await measureAsyncMilliseconds {
        for member in members {
            years.append(try await store.read { db in
                try db.snapshots.list(accountID: member.accountID, from: .distantPast, through: .distantFuture)
            })
        }
    }
    let loaded = years
    let detector = AchievementDetector()
    var found = 0
    let detect = await measureAsyncMilliseconds {
        for year in loaded {
            for index in year.indices.dropFirst() { found += detector.detect(from: year[index - 1], to: year[index]).count }
        }
    }
    let scale = 500 / Double(max(1, members.count))
    report("achievements: snapshot pairs checked (\(members.count) members sampled)", Double(loaded.map { max(0, $0.count - 1) }.reduce(0, +)), "pairs")
    report("achievements: found in the sample's year", Double(found), "achievements")
    report("achievements: cold (load the year's snapshots + detect), 500 members extrapolated", (load + detect) * scale, "ms")
    report("achievements: warm (detect only), 500 members extrapolated", detect * scale, "ms")
    report("achievements: per new snapshot (detect against the previous)", detect * 1000 / Double(max(1, loaded.map { $0.count - 1 }.reduce(0, +))), "µs",
           target: "negligible next to a hiscores fetch")
    try await store.close()
}
