import Domain
import Foundation
import Hiscores
import TestSupport

/// Parses 10,000 realistic `index_lite.json` bodies (25 skills, 88 activities each) on one thread.
/// Target: at least 20,000 responses per second on one core, measured as this thread's CPU time so the
/// figure holds on a busy machine (wall clock is printed too). JSONDecoder is measured for comparison.
let hiscoresBenchmark = Benchmark(name: "hiscores", summary: "parse 10,000 hiscores responses") {
    let count = 10_000
    let bodies = (0..<count).map { Data(HiscoresFixture.Player.typical(seed: UInt64($0) + 1).json.utf8) }
    let totalBytes = bodies.reduce(0) { $0 + $1.count }

    var rows = 0
    var failures = 0
    _ = bodies.prefix(500).map { try? HiscoresParser.parse($0) }  // warm up
    let cpuStart = threadCPUSeconds()
    let milliseconds = measureMilliseconds {
        for body in bodies {
            do {
                let record = try HiscoresParser.parse(body)
                rows &+= record.skills.count + record.activities.count
            } catch {
                failures += 1
            }
        }
    }
    let cpuSeconds = threadCPUSeconds() - cpuStart
    guard failures == 0 else { throw HiscoresBenchmarkFailure(message: "\(failures) bodies failed to parse") }
    let perSecond = Double(count) / (milliseconds / 1000)
    // CPU time of this thread: what parsing costs on one core, whatever else the machine is running.
    report("hand-written parser: responses per CPU-second", Double(count) / cpuSeconds, "/s", target: ">= 20000")
    report("hand-written parser: responses/s (wall clock)", perSecond, "/s")
    report("hand-written parser: MB per CPU-second", Double(totalBytes) / 1_048_576 / cpuSeconds, "MB/s")
    report("hand-written parser: CPU µs per response", cpuSeconds * 1_000_000 / Double(count), "µs")
    report("rows parsed", Double(rows), "rows")

    // JSONDecoder on the same shape, for the record of why the scanner exists.
    struct Body: Decodable {
        struct Skill: Decodable { let id: Int; let name: String; let rank: Int; let level: Int; let xp: Int64 }
        struct Activity: Decodable { let id: Int; let name: String; let rank: Int; let score: Int }
        let skills: [Skill]
        let activities: [Activity]
    }
    let slice = bodies.prefix(2_000)
    let decoder = JSONDecoder()
    let decoderCPUStart = threadCPUSeconds()
    for body in slice { _ = try decoder.decode(Body.self, from: body) }
    let decoderCPUSeconds = threadCPUSeconds() - decoderCPUStart
    report("JSONDecoder (for comparison): responses per CPU-second", Double(slice.count) / decoderCPUSeconds, "/s")
}

struct HiscoresBenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// CPU seconds used so far by the calling thread (the benchmark runs on one thread).
private func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
