import DatabaseTestTraits
import Foundation
import Services
import Storage
import Testing
import TestSupport
import Transport
@testable import ClanbotCLI
@testable import Discord

/// `clanbot run --shards 0..1/4` and `--shards 2..3/4` on two machines sharing one database (issue 15): with
/// `max_concurrency` 2, shards 0 and 2 are one bucket and 1 and 3 another, and Discord allows one IDENTIFY per
/// bucket per 5 s whichever process sends it. Two `DiscordGateway`s, each with the coordinator `clanbot run` uses over
/// a `Store` of its own, connect to one in-memory Discord; identify times are read on the test's `ManualClock`.
@Suite(.databaseTests) struct IdentifyAcrossProcessesTests {
    @Test(arguments: TestDatabaseBackend.all) func shardsOfOneBucketOnTwoProcessesNeverIdentifyWithinFiveSeconds(_ backend: TestDatabaseBackend) async throws {
        let discord = try FakeDiscord(shards: 4, maxConcurrency: 2) { _ in }
        let files = try TemporaryDirectory("identify", backend: backend)
        let path = try files.location()
        let clock = ManualClock(start: Date(epochMilliseconds: 1_800_000_000_000))
        let memory = InMemoryGatewayConnector(now: { clock.elapsedSeconds })

        var gateways: [DiscordGateway] = []
        var runs: [Task<Void, Never>] = []
        for (holder, shards) in [("machine-a/1", "0..1/4"), ("machine-b/2", "2..3/4")] {
            let buckets = IdentifyBuckets(store: try await Store(path: path), holder: holder, time: .clock(clock))
            var options = DiscordGateway.Options(token: "test-token", shards: try ShardSelection.parse(shards))
            options.identifyCoordinator = DatabaseIdentifyCoordinator(buckets: buckets)
            options.identifyTiming = IdentifyQueue.Timing(now: { clock.elapsedSeconds }, sleep: { try await clock.sleep(for: .seconds($0)) })
            let rest = DiscordREST(token: "test-token", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil))
            let gateway = DiscordGateway(options: options, rest: rest, connector: memory, onStatus: { _ in }, onDispatch: { _, _ in })
            gateways.append(gateway)
            runs.append(Task { _ = try? await gateway.run() })
        }

        // Discord says hello on every connection and hands each IDENTIFY on as it comes; a watcher says when two
        // shards are asleep on the clock. Should the processes not coordinate, a third IDENTIFY comes first instead
        // of a wait for it that would never end.
        let seen = AsyncMailbox<Seen>()
        var peers: [Task<Void, any Error>] = []
        for _ in 0..<4 {
            let peer = try await memory.nextConnection()
            peers.append(Task {
                peer.sendHello(heartbeatInterval: 45_000)
                seen.send(.identify(try await peer.next(op: 2, timeout: .seconds(30))))
            })
        }
        Task {
            await clock.waitForSleepers(2)
            seen.send(.twoAsleep)
        }
        var received: [FakeGatewayPayload] = []
        var asleep = false
        while received.count < 2 || !asleep {
            switch try await seen.next("an identify, or two shards waiting", { $0 }) {
            case .identify(let payload): received.append(payload)
            case .twoAsleep: asleep = true
            }
            try #require(received.count <= 2, "shards of one bucket identified at once: \(received.map { ($0.shard ?? [], $0.time) })")
        }
        // The other process's shard of each bucket sleeps until the first's 5 s pass.
        clock.advance(by: .milliseconds(4_999))
        #expect(clock.sleeping == 2)
        clock.advance(by: .milliseconds(1))
        for _ in 0..<2 {
            guard case .identify(let payload) = try await seen.next("an identify after 5 s", { $0 }) else { continue }
            received.append(payload)
        }
        for peer in peers { try await peer.value }
        for gateway in gateways { await gateway.stop() }
        for run in runs { await run.value }

        let byBucket = Dictionary(grouping: received) { ($0.shard?[0] ?? -1) % 2 }
        #expect(byBucket.keys.sorted() == [0, 1])
        for (bucket, pair) in byBucket {
            #expect(Set(pair.compactMap { $0.shard?[0] }) == (bucket == 0 ? [0, 2] : [1, 3]))
            let times = pair.map(\.time).sorted()
            #expect(times == [0, 5], "bucket \(bucket): \(pair.map { ($0.shard ?? [], $0.time) })")
        }
    }

    enum Seen: Sendable {
        case identify(FakeGatewayPayload)
        case twoAsleep
    }
}
