import Domain
import Foundation
import Services
import Storage

/// `/contest standings` of a points contest: 500 members, 10 rules (skills, bosses, clues, total xp), a week into
/// the contest over two weeks of daily snapshots. Cold: the first standings on a new connection (nothing in SQLite's
/// page or statement cache); warm: the same standings asked again on that connection. Standings are not cached: each
/// call reads every member's boundary snapshots and scores them.
let standingsBenchmark = Benchmark(name: "standings", summary: "standings of a 500-member, 10-rule points contest, cold and warm") {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-standings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("clan.sqlite").path
    let filled = try await BenchClanDataset.fill(path: path, guildID: "1", members: 500, days: 14)
    let now = filled.now
    let setup = try await Store(path: path)
    let service = ContestService(store: setup, http: nil, clock: { now })
    let draft = try await service.create(ContestDraft(clanID: filled.clanID, name: "Points week", startAt: now.addingTimeInterval(-7 * 86_400 - 3600),
                                                      endAt: now.addingTimeInterval(86_400), randomness: .none, kind: .ranked))
    let rules: [(ContestRule.Kind, [String], Int64, Int)] = [
        (.skillXP, ["Slayer"], 10_000, 1), (.skillXP, ["Fishing"], 10_000, 1), (.skillXP, ["Agility"], 5_000, 1),
        (.skillXP, ["Attack", "Strength", "Defence"], 25_000, 1), (.skillXP, ["Mining"], 10_000, 2), (.skillLevels, [], 1, 5),
        (.bossKC, ["Zulrah"], 1, 3), (.bossKC, ["Vorkath"], 1, 3), (.clueCount, [], 1, 10), (.totalXP, [], 100_000, 1),
    ]
    for (kind, targets, unit, points) in rules {
        _ = try await service.addRule(contestID: draft.id, kind: kind, targets: targets, threshold: unit, weight: points, title: "rule")
    }
    _ = try await service.activate(contestID: draft.id)
    try await setup.close()

    var table: Standings?
    var cold: [Double] = []
    for _ in 0..<5 {
        let store = try await Store(path: path)
        let fresh = ContestService(store: store, http: nil, clock: { now })
        cold.append(try await measureAsyncMilliseconds { table = try await fresh.standings(contestID: draft.id).table })
        try await store.close()
    }
    let store = try await Store(path: path)
    let warmService = ContestService(store: store, http: nil, clock: { now })
    _ = try await warmService.standings(contestID: draft.id)
    let warm = try await samples(20) { _ = try await warmService.standings(contestID: draft.id) }
    try await store.close()
    report("members ranked", Double(table?.rows.count ?? 0), "members")
    report("cold (first on a new connection), median of 5", median(cold), "ms")
    report("warm (again on that connection), median of 20", median(warm), "ms")
    report("warm, slowest of 20", warm.max() ?? 0, "ms")
}
