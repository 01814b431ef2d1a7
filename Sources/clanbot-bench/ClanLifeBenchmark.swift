import Domain
import Foundation
import Services
import Storage

/// Achievements and records over the 500-member × 365-day dataset (the leaderboard benchmark's data), cold and warm.
let clanLifeBenchmark = Benchmark(name: "clan-life", summary: "achievements and records for 500 members × 365 daily snapshots, cold and warm (run with leaderboard to print them beside its figures)") {
    let data = try await BenchClanDataset.shared.dataset()
    let clanID = data.clanID
    let store = try await Store(path: data.path)
    let now = data.now

    // Records: every member's best day, week and month of a metric, from all their snapshots (365 × 500).
    for metric in [LeaderboardMetric.xpGained, .skillXP(skill: "Attack"), .bossKC(boss: "Zulrah")] {
        let cold = try await samples(3) { _ = try await RecordsService(store: store, clock: { now }).compute(clanID: clanID, metric: metric) }
        let service = RecordsService(store: store, clock: { now })
        let records = try await service.records(clanID: clanID, metric: metric)
        let warm = try await samples(200) { _ = try await service.records(clanID: clanID, metric: metric) }
        report("records \(metric.cacheKey): best weeks", Double(records.records(.week).count), "members")
        report("records \(metric.cacheKey): cold, median of 3", median(cold), "ms", target: "< 1 s")
        report("records \(metric.cacheKey): warm, median", median(warm) * 1000, "µs", target: "< 1 ms")
    }

    // Achievements: what every snapshot of the year does (detect against the one before), over all 500 member-years.
    // One member's year is loaded at a time (all of them at once would take gigabytes): cold is loading it from the
    // database and detecting, warm is detecting again over the year already in memory.
    let members = try await store.read { db in try db.batchRuns.activeMembers(clanID: clanID) }
    let detector = AchievementDetector()
    var (found, pairs, coldMilliseconds, warmMilliseconds) = (0, 0, 0.0, 0.0)
    for member in members {
        var year: [PlayerSnapshot] = []
        var foundCold = 0
        coldMilliseconds += try await measureAsyncMilliseconds {
            year = try await store.read { db in try db.snapshots.list(accountID: member.accountID, from: .distantPast, through: .distantFuture) }
            for index in year.indices.dropFirst() { foundCold += detector.detect(from: year[index - 1], to: year[index]).count }
        }
        let loaded = year
        var foundWarm = 0
        warmMilliseconds += await measureAsyncMilliseconds {
            for index in loaded.indices.dropFirst() { foundWarm += detector.detect(from: loaded[index - 1], to: loaded[index]).count }
        }
        precondition(foundCold == foundWarm, "detection is deterministic")
        found += foundWarm
        pairs += max(0, loaded.count - 1)
    }
    report("achievements: snapshot pairs, \(members.count) members", Double(pairs), "pairs")
    report("achievements: found in the year", Double(found), "achievements")
    report("achievements: cold (load + detect), all", coldMilliseconds, "ms")
    report("achievements: warm (detect only), all", warmMilliseconds, "ms")
    report("achievements: per new snapshot, warm", warmMilliseconds * 1000 / Double(max(1, pairs)), "µs",
           target: "negligible next to a hiscores fetch")
    try await store.close()
}
