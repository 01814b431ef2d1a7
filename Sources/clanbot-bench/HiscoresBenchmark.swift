import Domain
import Foundation
import Hiscores
import TestSupport

/// Parses 10,000 realistic `index_lite.json` bodies (25 skills, 88 activities each) on one core.
/// Target: at least 20,000 responses per second. JSONDecoder is measured on a slice for comparison.
let hiscoresBenchmark = Benchmark(name: "hiscores", summary: "parse 10,000 hiscores responses") {
    let count = 10_000
    let bodies = (0..<count).map { Data(HiscoresFixture.Player.typical(seed: UInt64($0) + 1).json.utf8) }
    let totalBytes = bodies.reduce(0) { $0 + $1.count }

    var rows = 0
    var failures = 0
    _ = bodies.prefix(500).map { try? HiscoresParser.parse($0) }  // warm up
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
    guard failures == 0 else { throw HiscoresBenchmarkFailure(message: "\(failures) bodies failed to parse") }
    let perSecond = Double(count) / (milliseconds / 1000)
    report("hand-written parser: responses/s", perSecond, "/s", target: ">= 20000")
    report("hand-written parser: MB/s", Double(totalBytes) / 1_048_576 / (milliseconds / 1000), "MB/s")
    report("hand-written parser: µs per response", milliseconds * 1000 / Double(count), "µs")
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
    let decoderMilliseconds = try measureMilliseconds {
        for body in slice { _ = try decoder.decode(Body.self, from: body) }
    }
    report("JSONDecoder (for comparison): responses/s", Double(slice.count) / (decoderMilliseconds / 1000), "/s")
}

struct HiscoresBenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
