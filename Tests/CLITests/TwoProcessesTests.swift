import DatabaseTestTraits
import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport

/// Two real `clanbot run` processes, each with half the shards (`--shards 0..1/4`, `--shards 2..3/4`), against one
/// fake Discord and one fake hiscores server, sharing a PostgreSQL database (issue 15): every command is answered
/// once, a 200-member batch is drained by both with no member fetched twice, the owner of a batch killed with
/// SIGKILL mid-batch has it finished by the other, a contest ends once, and shards of one `max_concurrency` bucket
/// in different processes identify at least 5 s apart.
///
/// The processes are outside this test's reach: it waits for the shards' Ready at the fake gateway, and otherwise by
/// polling the fake hiscores server's counter and the database with a deadline (never a sleep standing for "long
/// enough"), which is the one way to see what another process did.
@Suite(.databaseTests) struct TwoProcessesTests {
    static let members = 200

    /// A guild whose events Discord sends on `shard` of 4 (shard = (guild_id >> 22) % 4).
    static func guild(shard: Int) -> String { String(UInt64(4_000_000 + shard) << 22) }

    @Test(.enabled(if: TestDatabaseBackend.isPostgresAvailable, Comment(rawValue: TestDatabaseBackend.postgresSkipNote)))
    func twoProcessesWithHalfTheShardsEachDoEachThingOnce() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clanbot")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("the clanbot executable is not next to the test bundle (\(binary.path)); build with `swift build --build-tests`")
            return
        }
        let database = try TemporaryPostgresDatabase()
        let store = try await Store(path: database.url)
        let hiscores = try FakeHiscoresServer()
        defer { hiscores.stop() }
        let world = try await World.make(store: store, hiscores: hiscores, contestEnd: Date().addingTimeInterval(8))

        let shards = ShardMailboxes()
        defer { shards.stop() }
        // max_concurrency 2: buckets {0, 2} and {1, 3}, each holding one shard of each process.
        let discord = try FakeDiscord(shards: 4, maxConcurrency: 2) { connection in try shards.serve(connection, count: 4) }
        discord.router.routeEverythingElse { request in
            request.path.hasSuffix("/callback") ? .status(204) : .json(#"{"id":"1181390000000000500","channel_id":"700","content":""}"#)
        }
        let environment = [
            "DISCORD_TOKEN": "two-processes", "DISCORD_API_BASE": discord.apiBase, "SSL_CERT_FILE": discord.caFilePath ?? "",
            "CLANBOT_DB": database.url, "OSRS_HISCORES_BASE": hiscores.baseURL,
        ]
        // Each its own hiscores budget; both look for other processes' batches twice a second.
        let tuning = ["--rate", "50", "--watch-every", "0.5"]
        let first = try LaunchedBot(binary, arguments: ["--shards", "0..1/4"] + tuning, environment: environment, logName: "first")
        defer { first.stop() }
        let second = try LaunchedBot(binary, arguments: ["--shards", "2..3/4"] + tuning, environment: environment, logName: "second")
        defer { second.stop() }
        let logs = { first.written() + second.written() }
        var connected: Set<Int> = []
        while connected.count < 4 {
            connected.insert(try await shards.ready.next("the four shards' Ready (\(connected) so far): \(logs())", within: .seconds(60)) { $0 })
        }
        // Identify respects max_concurrency across the processes: the second shard of a bucket waited for the first's
        // 5 s (uncoordinated, both would identify within milliseconds; 2 s are left for a loaded machine's delays).
        let identified = shards.identifiedAt
        for bucket in 0..<2 {
            let first = try #require(identified[bucket]), second = try #require(identified[bucket + 2])
            let gap = first < second ? first.duration(to: second) : second.duration(to: first)
            #expect(gap >= .seconds(3), "shards \(bucket) and \(bucket + 2) identified \(gap) apart: \(logs())")
        }

        // Every command answered once: one on each shard, in a guild of that shard, and the two snapshot runs below.
        for shard in 0..<4 {
            shards.send(toShard: shard) { Self.command("stats", guildID: Self.guild(shard: shard), id: "8000\(shard)", sequence: $0) }
        }
        // One batch of 200 members, started by the first process, drained by both.
        shards.send(toShard: 0) { Self.command("snapshot", subcommand: "run", guildID: Self.guild(shard: 0), id: "81000", sequence: $0) }
        let drained = try await world.finishedBatch(of: world.drainClan, within: 60)
        try #require(drained != nil, "the drained batch did not finish: \(logs())")

        // The contest ends once while both processes run (its end was set before they started).
        let ended = await poll(seconds: 60) { (try? await world.contestStatus()) == .ended }
        #expect(ended, "the contest did not end: \(logs())")

        // The owner of a second batch is killed mid-batch; the other process finishes it.
        shards.send(toShard: 1) { Self.command("snapshot", subcommand: "run", guildID: Self.guild(shard: 1), id: "81001", sequence: $0) }
        let midway = await poll(seconds: 60) { world.fetches(prefix: "Kill").values.reduce(0, +) >= 60 }
        try #require(midway, "the second batch did not get going: \(logs())")
        kill(first.process.processIdentifier, SIGKILL)
        let finished = try await world.finishedBatch(of: world.killClan, within: 60)
        let callbacks = discord.restRequests.filter { $0.path.hasSuffix("/callback") }.map(\.path)

        second.process.terminate()  // SIGTERM: a clean stop
        let stopped = await poll(seconds: 20) { !second.process.isRunning }
        #expect(stopped, "the second process did not stop on SIGTERM")
        let firstLog = first.written(), secondLog = second.written()

        // Every command answered exactly once.
        for id in ["80000", "80001", "80002", "80003", "81000", "81001"] {
            #expect(callbacks.filter { $0.contains("/interactions/\(id)/") }.count == 1, "interaction \(id): \(callbacks)\n\(firstLog)\n\(secondLog)")
        }

        // The drained batch: every member fetched once, by both processes.
        let drainRun = try #require(drained)
        #expect(drainRun.status == .succeeded && drainRun.succeededCount == Self.members, "\(drainRun)")
        let drainFetches = world.fetches(prefix: "Drain")
        #expect(drainFetches.count == Self.members && drainFetches.values.allSatisfy { $0 == 1 },
                "fetched more than once: \(drainFetches.filter { $0.value > 1 })")
        let claimers = try await world.claimers(batchID: drainRun.id)
        let pids = [first.process.processIdentifier, second.process.processIdentifier]
        #expect(Set(claimers.keys.compactMap(Self.pid)) == Set(pids), "both processes fetch members of the batch: \(claimers)")
        #expect(claimers.values.reduce(0, +) == Self.members)

        // The killed owner's batch: finished by the other process, nothing stored fetched again.
        let killRun = try #require(finished, "the other process did not finish the killed process's batch: \(secondLog)")
        #expect(killRun.status == .succeeded && killRun.succeededCount == Self.members, "\(killRun)")
        #expect(secondLog.contains("resumed interrupted batch \(killRun.jobID)"), "\(secondLog)")
        #expect(Self.pid(killRun.owner ?? "") == second.process.processIdentifier)
        #expect(try await world.snapshotsPerAccount(clanID: world.killClan).allSatisfy { $0 == 1 }, "a stored member was fetched again")
        let refetched = world.fetches(prefix: "Kill").filter { $0.value > 1 }
        // Only members the killed process was fetching when it died (at most its 4 lanes) are fetched again.
        #expect(refetched.count <= 4 && refetched.values.allSatisfy { $0 == 2 }, "\(refetched)")

        // The contest: ended by one process, announced once.
        let endLines = (firstLog + secondLog).split(separator: "\n").filter { $0.contains("contest #\(world.contestID) Two Shards Raffle ended") }
        #expect(endLines.count == 1, "\(endLines)")
        let endPosts = discord.restRequests.filter { $0.method == "POST" && $0.path.hasSuffix("/channels/700/messages") && $0.text.contains("ended") }
        #expect(endPosts.count == 1, "\(endPosts.map(\.text))")
        try await store.close()
    }

    /// The pid in an owner or claim ("host/pid/tag").
    static func pid(_ owner: String) -> Int32? {
        let parts = owner.split(separator: "/")
        return parts.count == 3 ? Int32(parts[1]) : nil
    }

    /// A slash command by a member with Manage Server (`/snapshot run` needs it) in `guildID`.
    static func command(_ name: String, subcommand: String? = nil, guildID: String, id: String, sequence: Int) -> String {
        let options = subcommand.map { #"[{"name":"\#($0)","type":1,"options":[]}]"# } ?? "[]"
        return """
            {"op":0,"s":\(sequence),"t":"INTERACTION_CREATE","d":{"application_id":"\(InteractionFixtures.applicationID)",
             "app_permissions":"562949953421311","channel_id":"1094880690000000001","guild_id":"\(guildID)","guild_locale":"en-US",
             "locale":"en-GB","id":"\(id)","member":{"user":{"id":"1094880000000000077","username":"leader","global_name":null,
             "discriminator":"0"},"roles":[],"permissions":"32","nick":null},
             "data":{"id":"1181380000000000002","name":"\(name)","type":1,"guild_id":"\(guildID)","options":\(options)},
             "token":"token-\(id)","type":2,"version":1}}
            """
    }
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass; returns its last answer. For what other
/// processes change (their requests at the fake servers, their rows in the database).
func poll(seconds: Double, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}

/// The database both processes share, set up before they start: a clan of 200 members for the drained batch
/// (on shard 0's guild), another for the killed one (shard 1), and a memberless clan (shard 2) with an
/// announcements channel and an active raffle ending soon.
struct World {
    let store: Store
    let hiscores: FakeHiscoresServer
    let drainClan: Int64
    let killClan: Int64
    let contestID: Int64

    static func make(store: Store, hiscores: FakeHiscoresServer, contestEnd: Date) async throws -> World {
        let count = TwoProcessesTests.members
        // Each answer takes a little while, so a batch lasts long enough for both processes to take part.
        for prefix in ["Drain", "Kill"] {
            for index in 1...count {
                let player = HiscoresFixture.Player.typical(seed: UInt64(index))
                hiscores.script("\(prefix) \(index)", on: .regular, [HTTPTestResponse.json(player.json).delayed(by: .milliseconds(40))])
            }
        }
        let (drain, kill, contestClan) = try await store.write { db in
            func clan(_ name: String, shard: Int, members prefix: String?) throws -> Int64 {
                var clan = try db.clans.create(guildID: TwoProcessesTests.guild(shard: shard), name: name)
                clan.defaultSnapshotMode = .board(.regular)  // one request per member
                clan = try db.clans.update(clan)
                if let prefix {
                    for index in 1...count {
                        let account = try db.accounts.findOrCreate(try RSN("\(prefix) \(index)"))
                        _ = try db.members.add(clanID: clan.id, accountID: account.id)
                    }
                }
                return clan.id
            }
            return (try clan("Drain Legion", shard: 0, members: "Drain"), try clan("Kill Legion", shard: 1, members: "Kill"),
                    try clan("Raffle Club", shard: 2, members: nil))
        }
        _ = try await AnnouncementService(store: store).set(clanID: contestClan, channelID: "700", kinds: "all", setBy: "1")
        let contests = ContestService(store: store, http: nil)
        let contest = try await contests.create(ContestDraft(clanID: contestClan, name: "Two Shards Raffle",
                                                             startAt: Date().addingTimeInterval(-3600), endAt: contestEnd))
        _ = try await contests.addRule(contestID: contest.id, kind: .totalXP, targets: [], threshold: 1, title: "Any xp")
        _ = try await contests.activate(contestID: contest.id)
        return World(store: store, hiscores: hiscores, drainClan: drain, killClan: kill, contestID: contest.id)
    }

    /// The clan's batch once it is closed, nil if it is not within `seconds`.
    func finishedBatch(of clanID: Int64, within seconds: Double) async throws -> BatchRun? {
        var closed: BatchRun?
        _ = await poll(seconds: seconds) {
            closed = try? await store.read { db in try db.batchRuns.recent(clanID: clanID, limit: 1).first }.flatMap { $0.status.isFinished ? $0 : nil }
            return closed != nil
        }
        return closed
    }

    func contestStatus() async throws -> ContestStatus {
        try await ContestService(store: store, http: nil).detail(contestID: contestID).contest.status
    }

    /// Hiscores requests per player whose name starts with `prefix`.
    func fetches(prefix: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in hiscores.requests {
            guard let name = request.queryValue("player")?.replacingOccurrences(of: "_", with: " "), name.hasPrefix(prefix) else { continue }
            counts[name, default: 0] += 1
        }
        return counts
    }

    /// Members of the batch by the process that claimed them.
    func claimers(batchID: Int64) async throws -> [String: Int] {
        try await store.read { db in
            try db.query("SELECT claimed_by, count(*) FROM clan_snapshot_members WHERE clan_snapshot_id = ? GROUP BY claimed_by",
                         [batchID]) { (try $0.get(0, as: String?.self) ?? "nobody", try $0.int(1)) }
        }.reduce(into: [:]) { $0[$1.0] = $1.1 }
    }

    /// How many snapshots each member of the clan has.
    func snapshotsPerAccount(clanID: Int64) async throws -> [Int] {
        try await store.read { db in
            try db.query("""
                SELECT count(s.id) FROM clan_members m LEFT JOIN snapshots s ON s.account_id = m.account_id
                WHERE m.clan_id = ? GROUP BY m.account_id
                """, [clanID]) { try $0.int(0) }
        }
    }
}

/// What the fake gateway sends each shard's connection: Hello, Ready for the shard it identified as, then the
/// frames the test hands it (`send(toShard:)`), between reads of what the client sends.
final class ShardMailboxes: Sendable {
    private struct State {
        var pending: [Int: [@Sendable (Int) -> String]] = [:]
        var identifiedAt: [Int: ContinuousClock.Instant] = [:]
        var stopped = false
    }

    private let state = LockedValue(State())
    /// Each shard, once it was sent Ready.
    let ready = AsyncMailbox<Int>()

    /// Queues a frame for `shard`; `frame` gets the connection's next sequence number.
    func send(toShard shard: Int, _ frame: @escaping @Sendable (Int) -> String) {
        state.withLock { $0.pending[shard, default: []].append(frame) }
    }

    func stop() { state.withLock { $0.stopped = true } }

    /// When each shard's IDENTIFY reached the fake gateway.
    var identifiedAt: [Int: ContinuousClock.Instant] { state.withLock { $0.identifiedAt } }

    /// One connection's script: identify, ready, then the queued frames until the client closes or the test ends.
    func serve(_ connection: FakeGatewayConnection, count: Int) throws {
        try connection.sendHello(heartbeatInterval: 5000)
        let identify = try connection.next(op: 2, timeout: .seconds(60))
        guard let shard = identify.shard?.first else { return }
        let now = ContinuousClock.now
        state.withLock { $0.identifiedAt[shard] = now }
        try connection.sendReady(sessionID: "two-processes-\(shard)", sequence: 1, shard: [shard, count])
        ready.send(shard)
        var sequence = 1
        while true {
            let (frames, stopped) = state.withLock { state in
                defer { state.pending[shard] = [] }
                return (state.pending[shard] ?? [], state.stopped)
            }
            if stopped { return }
            for frame in frames {
                sequence += 1
                try connection.sendRaw(frame(sequence))
            }
            // Reads (and answers heartbeats) for a moment; a close frame from the client ends the script.
            if try connection.serve(for: .milliseconds(100)) != nil { return }
        }
    }
}
