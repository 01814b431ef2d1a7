import Domain
import Foundation
import Storage
import TestSupport

/// One 500-member batch drained by one process and by two (issue 15), each process with its own hiscores budget:
/// the batch's owner is `clanbot clan snapshot` (a process of its own, at `--rate`), and the second process a
/// `clanbot run` at the same `--rate` that helps on its `--watch-every` pass. A local fake hiscores server answers
/// every request after 100 ms, about a real round trip. On SQLite (two processes on one file) and on PostgreSQL.
let sharedBatchBenchmark = Benchmark(name: "shared-batch",
                                     summary: "a 500-member batch drained by one process and by two, each with its own hiscores budget") {
    guard let binary = ClanbotProcess.sibling("clanbot") else { return }
    // SHARED_BATCH_MEMBERS and SHARED_BATCH_RATE (requests/s per process) change its size.
    let environment = ProcessInfo.processInfo.environment
    let setup = SharedBatchSetup(members: max(10, Int(environment["SHARED_BATCH_MEMBERS"] ?? "") ?? 500),
                                 rate: min(100, max(1, Double(environment["SHARED_BATCH_RATE"] ?? "") ?? 25)),
                                 answerDelay: .milliseconds(100), watchEvery: 1)
    let hiscores = try FakeHiscoresServer()
    defer { hiscores.stop() }
    for index in 1...setup.members {
        let player = HiscoresFixture.Player.typical(seed: UInt64(index))
        hiscores.script("Shared \(index)", on: .regular, [HTTPTestResponse.json(player.json).delayed(by: setup.answerDelay)])
    }
    let directory = try TemporaryDirectory("bench-shared-batch")
    var engines = [("SQLite", directory.path())]
    let postgres = TestDatabaseBackend.isPostgresAvailable ? try TemporaryPostgresDatabase() : nil
    if let postgres {
        engines.append(("PostgreSQL", postgres.url))
    } else {
        print("   PostgreSQL skipped: CLANBOT_TEST_POSTGRES_URL is not set (bash deploy/dev bench starts a throwaway PostgreSQL)")
    }
    print("   \(setup.members) members; each process \(Int(setup.rate)) requests/s and 4 fetches at a time; every answer after 100 ms;"
          + " the helper looks every \(Int(setup.watchEvery)) s")
    for (engine, location) in engines {
        let clans = try await setup.clans(at: location)
        for (processes, clanID) in [(1, clans.alone), (2, clans.shared)] {
            let figures = try await setup.drain(clanID: clanID, binary: binary, location: location, hiscores: hiscores, helped: processes == 2)
            let floor = Double(setup.members) / (setup.rate * Double(processes))
            report("\(engine): \(processes == 1 ? "one process" : "two processes")", figures.seconds, "s",
                   target: "the rate limits alone: \(String(format: "%.0f", floor)) s")
            print("      members fetched per process: \(figures.perProcess.map(String.init).joined(separator: " + ")); fetched twice: \(figures.fetchedTwice)")
        }
    }
    withExtendedLifetime(postgres) {}
}

struct SharedBatchSetup {
    let members: Int
    let rate: Double
    let answerDelay: Duration
    let watchEvery: Double

    /// Two clans of the same `members` accounts: one batch for each run.
    func clans(at location: String) async throws -> (alone: Int64, shared: Int64) {
        let store = try await Store(path: location)
        let members = members
        let ids = try await store.write { db in
            let accounts = try (1...members).map { try db.accounts.findOrCreate(try RSN("Shared \($0)")).id }
            return try ["Alone", "Shared"].map { name in
                let clan = try db.clans.create(guildID: "1", name: name)
                for account in accounts { _ = try db.members.add(clanID: clan.id, accountID: account) }
                return clan.id
            }
        }
        try await store.close()
        return (ids[0], ids[1])
    }

    struct Figures {
        /// From the batch's start to its close, as recorded in the database.
        let seconds: Double
        /// Members fetched by each process, most first.
        let perProcess: [Int]
        /// Players asked of the hiscores more than once.
        let fetchedTwice: Int
    }

    /// Runs `clanbot clan snapshot` on the clan, with a `clanbot run` helping when `helped`.
    func drain(clanID: Int64, binary: String, location: String, hiscores: FakeHiscoresServer, helped: Bool) async throws -> Figures {
        let rate = String(Int(rate))
        var helper: ClanbotProcess?
        var discord: FakeDiscord?
        if helped {
            let gateway = try FakeDiscord { connection in
                try connection.sendHello(heartbeatInterval: 30_000)
                _ = try connection.next(op: 2)
                try connection.sendReady(sessionID: "shared-batch")
                try connection.serve(for: .seconds(600))
            }
            discord = gateway
            helper = try ClanbotProcess(runningAgainst: gateway, databasePath: location, environment: ["OSRS_HISCORES_BASE": hiscores.baseURL],
                                        arguments: ["--rate", rate, "--watch-every", String(watchEvery)])
            guard try await helper?.waitUntilReady() == true else { throw BenchFailure("the helping clanbot run did not get ready") }
        }
        let asked = hiscores.requests.count
        let result = try await ChildProcess.run([
            "CLANBOT_DB=\(location)", "OSRS_HISCORES_BASE=\(hiscores.baseURL)", binary,
            "clan", "snapshot", String(clanID), "--board", "regular", "--rate", rate,
        ])
        helper = nil  // SIGTERM, and waits for it
        withExtendedLifetime(discord) {}
        guard result.status == 0 else { throw BenchFailure("clanbot clan snapshot exited \(result.status): \(result.errorText)") }

        var perPlayer: [String: Int] = [:]
        for request in hiscores.requests.dropFirst(asked) { perPlayer[request.queryValue("player") ?? "", default: 0] += 1 }
        let store = try await Store(path: location)
        let (run, claims) = try await store.read { db in
            (try db.batchRuns.recent(clanID: clanID, limit: 1).first,
             try db.query("SELECT count(*) FROM clan_snapshot_members WHERE clan_snapshot_id = (SELECT max(id) FROM clan_snapshots WHERE clan_id = ?) GROUP BY claimed_by",
                          [clanID]) { try $0.int(0) })
        }
        try await store.close()
        guard let run, let finished = run.finishedAt, run.succeededCount == members else {
            throw BenchFailure("the batch did not finish with every member: \(String(describing: run))")
        }
        return Figures(seconds: finished.timeIntervalSince(run.startedAt ?? run.queuedAt), perProcess: claims.sorted(by: >),
                       fetchedTwice: perPlayer.values.filter { $0 > 1 }.count)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
