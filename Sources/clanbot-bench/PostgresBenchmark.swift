import Foundation
import PostgresClient
import Transport

/// The PostgreSQL client against a real server (the throwaway cluster `bash deploy/dev bench` starts, or any
/// server in CLANBOT_TEST_POSTGRES_URL): start-up with SCRAM-SHA-256 (plain and TLS), one prepared-statement
/// round trip, and the pool's throughput when more tasks than connections share it.
let postgresBenchmark = Benchmark(name: "postgres", summary: "PostgreSQL client: connect, one statement's round trip, pool throughput") {
    guard let url = ProcessInfo.processInfo.environment["CLANBOT_TEST_POSTGRES_URL"], !url.isEmpty else {
        print("   skipped: CLANBOT_TEST_POSTGRES_URL is not set (bash deploy/dev bench starts a throwaway PostgreSQL when one is installed)")
        return
    }
    let configuration = try PostgresConfiguration(url: url)
    report("connect + SCRAM, plain TCP (median of 10)", try await medianConnectMilliseconds(configuration), "ms")
    if let ca = ProcessInfo.processInfo.environment["CLANBOT_TEST_POSTGRES_CA"] {
        var tls = configuration
        tls.sslMode = .verifyFull
        tls.sslRootCertificate = ca
        report("connect + TLS verify-full + SCRAM (median of 10)", try await medianConnectMilliseconds(tls), "ms")
        // Most of that is loading the system CA store into a fresh TLS context, which a pool does once.
        var contextTimes: [Double] = []
        for _ in 0..<10 {
            contextTimes.append(try measureMilliseconds { _ = try TLSContext(client: TLSOptions(additionalCAFile: ca)) })
        }
        report("  of which the TLS context (once per pool)", median(contextTimes), "ms")
    }

    let connection = try await PostgresConnection.connect(configuration)
    for index in 0..<200 { try await connection.query("SELECT $1::int8 + 1", [.int64(Int64(index))]) }  // warm-up
    var roundTrips: [Double] = []
    for index in 0..<2_000 {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try await connection.query("SELECT $1::int8 + 1", [.int64(Int64(index))])
        roundTrips.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
        guard try result.rows[0].decode(Int64.self, at: 0) == Int64(index) + 1 else { throw PostgresError.decoding("wrong sum") }
    }
    roundTrips.sort()
    report("SELECT $1 round trip (median of 2,000)", median(roundTrips), "µs")
    report("SELECT $1 round trip (99th percentile)", roundTrips[roundTrips.count * 99 / 100], "µs")
    // Many rows in one answer: collecting them must stay linear in their number.
    for count in [10_000, 100_000] {
        let milliseconds = try await measureAsyncMilliseconds {
            let result = try await connection.query("SELECT g, 'row ' || g FROM generate_series(1, $1::int4) AS g", [.int64(Int64(count))])
            guard result.rows.count == count else { throw PostgresError.decoding("\(result.rows.count) rows") }
        }
        report("one SELECT of \(count) rows", milliseconds, "ms")
    }
    await connection.close()

    let pool = PostgresPool(configuration: configuration, maximumConnections: 4)
    let statements = 4_000
    let start = DispatchTime.now().uptimeNanoseconds
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<16 {
            group.addTask {
                for index in 0..<(statements / 16) {
                    _ = try await pool.query("SELECT $1::int8", [.int64(Int64(task * 1_000 + index))])
                }
            }
        }
        try await group.waitForAll()
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    report("pool of 4, 16 tasks: statements per second", Double(statements) / seconds, "/s")
    await pool.shutDown()
}

/// The median time of ten connects (start-up included) to `configuration`.
private func medianConnectMilliseconds(_ configuration: PostgresConfiguration) async throws -> Double {
    var times: [Double] = []
    for _ in 0..<10 {
        let start = DispatchTime.now().uptimeNanoseconds
        let connection = try await PostgresConnection.connect(configuration)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        await connection.close()
    }
    return median(times)
}
