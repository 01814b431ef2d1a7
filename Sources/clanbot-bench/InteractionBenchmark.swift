import Discord
import Foundation
import TestSupport

/// Decoding INTERACTION_CREATE the way the gateway driver does: the frame header (opcode, sequence,
/// event name), then the full Interaction with its options, resolved users/roles/channels and member.
/// The payloads are a typical slash command (subcommand group, nine options) with varying ids and text.
let interactionBenchmark = Benchmark(
    name: "interactions",
    summary: "time to decode 100,000 typical INTERACTION_CREATE gateway payloads"
) {
    let count = 100_000
    // Distinct frames so nothing is cached between iterations; built before timing starts.
    let frames = (0..<1000).map { index in
        Data(InteractionFixtures.slashCommand(
            sequence: index + 2, interactionID: String(1_181_390_740_425_834_567 + UInt64(index)),
            token: "aW50ZXJhY3Rpb246\(index)", contestName: "Contest \(index) – weekly XP race 🏆"
        ).utf8)
    }
    let averageSize = frames.reduce(0) { $0 + $1.count } / frames.count

    var decoded = 0
    var failures = 0
    // Warm-up, then the measured run.
    for frame in frames.prefix(200) { _ = try? decode(frame) }
    let milliseconds = measureMilliseconds {
        for index in 0..<count {
            if let interaction = try? decode(frames[index % frames.count]), interaction.command?.integer("winners") == 3 {
                decoded += 1
            } else {
                failures += 1
            }
        }
    }
    guard failures == 0 else { throw GatewayCodecError.malformedFrame("\(failures) of \(count) benchmark payloads did not decode") }
    report("payload size (average)", Double(averageSize), "bytes")
    report("decode \(count) INTERACTION_CREATE payloads", milliseconds, "ms")
    report("decode rate", Double(decoded) / (milliseconds / 1000), "payloads/s")
    report("per payload", milliseconds * 1000 / Double(count), "µs")
}

private func decode(_ frame: Data) throws -> Interaction {
    guard case .dispatch(let dispatch) = try GatewayFrameCodec.decode(frame), dispatch.name == InteractionDispatcher.eventName else {
        throw GatewayCodecError.malformedFrame("not an INTERACTION_CREATE dispatch")
    }
    return try dispatch.decodeData(Interaction.self)
}
