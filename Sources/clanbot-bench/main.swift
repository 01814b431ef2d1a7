import Foundation

// clanbot-bench: prints performance figures. Build in release mode: `bash deploy/dev bench [name...]`.
// Each benchmark lives in a file of its own and is listed here.
let benchmarks: [Benchmark] = [
    webSocketBenchmark,
    // Benchmarks are added here as features land.
    hiscoresBenchmark,
    ingestBenchmark,
    statsBenchmark,
    leaderboardBenchmark,
    clanLifeBenchmark,
    batchBenchmark,
    interactionBenchmark,
    idleMemoryBenchmark,
    soakBenchmark,
    burstBenchmark,
    blsBenchmark,
    postgresBenchmark,
    standingsBenchmark,
    backendsBenchmark,
    sharedBatchBenchmark,
]

let wanted = Set(CommandLine.arguments.dropFirst())
if wanted.contains("--help") || wanted.contains("-h") {
    print("Usage: clanbot-bench [name ...]\n\nBenchmarks:")
    for benchmark in benchmarks { print("  \(benchmark.name)  \(benchmark.summary)") }
    exit(0)
}
for benchmark in benchmarks where wanted.isEmpty || wanted.contains(benchmark.name) {
    print("== \(benchmark.name): \(benchmark.summary)")
    do {
        try await benchmark.run()
    } catch {
        print("   FAILED: \(error)")
    }
}
