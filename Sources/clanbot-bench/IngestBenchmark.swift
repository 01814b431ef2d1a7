import Domain
import Foundation
import Hiscores
import Services
import Storage
import TestSupport
import Transport

/// A year of daily snapshots of a 500-member clan, in a temporary SQLite file. Built once per run
/// (by the ingest benchmark, or by the first benchmark that needs it) and shared.
actor BenchClanDataset {
    static let shared = BenchClanDataset()
    static let members = 500
    static let days = 365

    struct Built: Sendable {
        let path: String
        let clanID: Int64
        /// When the last day's snapshots were taken: the "now" of the stats benchmarks.
        let now: Date
    }

    private var built: Built?

    /// The dataset, building it (and reporting how fast) when this is the first call.
    func dataset() async throws -> Built {
        if let built { return built }
        let built = try await Self.build(report: true)
        self.built = built
        return built
    }

    private static func build(report printFigures: Bool) async throws -> Built {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("clan.sqlite").path
        benchDatasetDirectory.withLock { $0 = directory.path }
        atexit {
            // The year of snapshots is large; never leave it behind in the temporary directory.
            if let directory = benchDatasetDirectory.value { try? FileManager.default.removeItem(atPath: directory) }
        }
        let filled = try await fill(path: path, guildID: "1", members: members, days: days)
        let seconds = filled.ingestSeconds
        let rows = filled.rows
        if printFigures {
            let snapshots = Double(members * days)
            report("snapshots stored (\(members) members × \(days) days)", snapshots, "snapshots")
            report("skill and activity rows stored", Double(rows), "rows")
            report("ingest time (excluding generating the data)", seconds, "s")
            report("ingest rate", snapshots / seconds, "snapshots/s")
            report("ingest rate", Double(rows) / seconds, "rows/s")
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
            report("database file size", size / 1_048_576, "MB")
        }
        return Built(path: path, clanID: filled.clanID, now: filled.now)
    }

    /// What `fill` stored.
    struct Filled: Sendable {
        let clanID: Int64
        let now: Date
        /// The members' names ("Bench 0", "Bench 1", …).
        let names: [String]
        let rows: Int
        let ingestSeconds: Double
    }

    /// Creates the database at `path` with one clan of `members` (in the Discord server `guildID`) and a daily
    /// snapshot of each for the `days` up to now.
    static func fill(path: String, guildID: String, members: Int, days: Int) async throws -> Filled {
        let store = try await Store(path: path)
        let now = Date(epochMilliseconds: Date().epochMilliseconds)
        let clan = try await store.write { db in try db.clans.create(guildID: guildID, name: "Bench Clan", timeZone: "Europe/London") }
        let names = (0..<members).map { "Bench \($0)" }
        var accounts: [Int64] = []
        for name in names {
            let rsn = try RSN(name)
            accounts.append(try await store.write { db in
                let account = try db.accounts.findOrCreate(rsn)
                _ = try db.members.add(clanID: clan.id, accountID: account.id)
                return account.id
            })
        }
        let players = (0..<members).map { BenchPlayer(seed: UInt64($0) + 1) }
        var rows = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var generationNanos: UInt64 = 0
        for day in 0..<days {
            let fetchedAt = now.addingTimeInterval(-Double(days - 1 - day) * 86_400)
            let generationStart = DispatchTime.now().uptimeNanoseconds
            let records = players.map { $0.record(onDay: day) }
            generationNanos += DispatchTime.now().uptimeNanoseconds - generationStart
            rows += records.reduce(0) { $0 + $1.skills.count + $1.activities.count }
            let ids = accounts
            try await store.write { db in
                for (index, record) in records.enumerated() {
                    _ = try db.snapshots.insert(accountID: ids[index], fetchedAt: fetchedAt, requestedBoard: .regular,
                                                resolvedType: .regular, latencyMs: 120, record: record)
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started - generationNanos) / 1e9
        try await store.close()
        return Filled(clanID: clan.id, now: now, names: names, rows: rows, ingestSeconds: seconds)
    }
}

/// Where the dataset lives, for the exit handler that removes it.
let benchDatasetDirectory = LockedValue<String?>(nil)

/// One synthetic member: a typical account whose skills and kills grow by a steady daily amount
/// (a fifth of the clan gains nothing: the slackers).
struct BenchPlayer: Sendable {
    let base: HiscoresRecord
    let skillGain: [Int64]
    let activityGain: [Int]

    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed &* 7919)
        base = HiscoresFixture.Player.typical(seed: seed).record
        let idle = random.unit() < 0.2
        skillGain = base.skills.indices.map { index in
            index == 0 || idle ? 0 : Int64(random.next() % 20_000)
        }
        activityGain = base.activities.map { activity in
            idle || !activity.isRanked ? 0 : (random.unit() < 0.3 ? 1 + Int(random.next() % 3) : 0)
        }
    }

    func record(onDay day: Int) -> HiscoresRecord {
        var skills = base.skills
        var total: Int64 = 0
        var levels = 0
        for index in 1..<skills.count where skills[index].xp >= 0 {
            let xp = min(200_000_000, skills[index].xp + skillGain[index] * Int64(day))
            skills[index].xp = xp
            skills[index].level = HiscoresFixture.level(forXP: xp)
            total += xp
            levels += skills[index].level
        }
        if skills.first?.name == "Overall" {
            skills[0] = SkillScore(name: "Overall", rank: skills[0].rank, level: levels, xp: total)
        }
        var activities = base.activities
        for index in activities.indices where activities[index].score >= 0 {
            activities[index].score += activityGain[index] * day
        }
        return HiscoresRecord(skills: skills, activities: activities)
    }
}

let ingestBenchmark = Benchmark(name: "ingest", summary: "store 500 members × 365 daily snapshots (every skill and activity row)") {
    _ = try await BenchClanDataset.shared.dataset()
}

/// A clan batch against the local fake hiscores server: how far the batch's own work (database
/// writes, scheduling) adds to the time the shared rate limit imposes.
let batchBenchmark = Benchmark(name: "batch", summary: "batch run overhead next to the hiscores rate limit") {
    let members = 200
    let rate = 100.0
    let server = try FakeHiscoresServer()
    defer { server.stop() }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clanbot-bench-batch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await Store(path: directory.appendingPathComponent("batch.sqlite").path)
    let clan = try await store.write { db in try db.clans.create(guildID: "1", name: "Batch Clan", defaultSnapshotMode: .board(.regular)) }
    for index in 0..<members {
        let name = "Batcher \(index)"
        server.set(name, on: .regular, .typical(seed: UInt64(index) + 1))
        let rsn = try RSN(name)
        try await store.write { db in _ = try db.members.add(clanID: clan.id, accountID: try db.accounts.findOrCreate(rsn).id) }
    }
    let hiscores = HiscoresClient(http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: rate),
                                  configuration: .init(baseURL: server.baseURL))
    let batches = BatchSnapshotService(store: store, snapshotter: SnapshotService(store: store, hiscores: hiscores), concurrency: 4)
    var finalRun: BatchRun?
    let milliseconds = try await measureAsyncMilliseconds {
        finalRun = try await batches.start(clanID: clan.id).result()
    }
    let floor = Double(members - 1) / rate * 1000
    report("members fetched (rate limit \(Int(rate)) requests/s)", Double(finalRun?.succeededCount ?? 0), "members")
    report("batch wall time", milliseconds, "ms")
    report("time the rate limit alone imposes", floor, "ms")
    report("batch overhead beyond the rate limit", max(0, milliseconds - floor), "ms")
    report("overhead per member", max(0, milliseconds - floor) / Double(members), "ms", target: "negligible next to \(Int(1000 / rate)) ms spacing")

    // The batch's own bookkeeping, with the network taken away: fetches answer at once.
    let instant = BatchSnapshotService(store: store, snapshotter: InstantSnapshotter(store: store), concurrency: 4)
    let bookkeeping = try await measureAsyncMilliseconds { _ = try await instant.start(clanID: clan.id).result() }
    report("bookkeeping only (store snapshot + member row)", bookkeeping / Double(members), "ms/member")
    try await store.close()
}

/// Stores a small fixed record without any network: isolates the batch's own costs.
struct InstantSnapshotter: MemberSnapshotting {
    let store: Store
    func snapshotMember(accountID: Int64, displayName: String, board: HiscoresBoard?) async throws -> MemberSnapshotResult {
        let record = HiscoresFixture.Player.typical(seed: UInt64(accountID)).record
        let id = try await store.write { db in
            try db.snapshots.insert(accountID: accountID, fetchedAt: Date(), requestedBoard: .regular, resolvedType: nil,
                                    latencyMs: 0, record: record).id
        }
        return MemberSnapshotResult(snapshotID: id, latencyMs: 0)
    }
}

/// Wall-clock time of an async `body` in milliseconds.
func measureAsyncMilliseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}
