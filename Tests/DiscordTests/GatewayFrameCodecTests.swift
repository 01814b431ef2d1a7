import Foundation
import Testing
import TestSupport
@testable import Discord

@Suite struct GatewayFrameCodecTests {
    func decode(_ json: String) throws -> GatewayMessage {
        try GatewayFrameCodec.decode(Data(json.utf8))
    }

    @Test func decodesEachServerOpcode() throws {
        #expect(try decode(#"{"op":10,"d":{"heartbeat_interval":41250,"_trace":["x"]},"s":null,"t":null}"#) == .hello(GatewayHello(heartbeatInterval: 41250)))
        #expect(try decode(#"{"op":11}"#) == .heartbeatAck)
        #expect(try decode(#"{"op":1,"d":null}"#) == .heartbeatRequest)
        #expect(try decode(#"{"op":7,"d":null}"#) == .reconnect)
        #expect(try decode(#"{"op":9,"d":true}"#) == .invalidSession(resumable: true))
        #expect(try decode(#"{"op":9,"d":false}"#) == .invalidSession(resumable: false))
        #expect(try decode(#"{"op":9}"#) == .invalidSession(resumable: false))
        #expect(try decode(#"{"op":42,"d":{}}"#) == .other(opcode: 42))
    }

    @Test func decodesReadyFromADispatch() throws {
        let frame = #"""
        {"op":0,"s":1,"t":"READY","d":{"v":10,"session_id":"abc","resume_gateway_url":"wss://r.example",
         "user":{"id":"80351110224678912","username":"clanbot","bot":true},"guilds":[],"shard":[0,1],
         "application":{"id":"1234","flags":0}}}
        """#
        guard case .dispatch(let dispatch) = try decode(frame) else {
            Issue.record("not a dispatch")
            return
        }
        #expect(dispatch.name == "READY")
        #expect(dispatch.sequence == 1)
        let ready = try dispatch.decodeData(ReadyPayload.self)
        #expect(ready.sessionID == "abc")
        #expect(ready.resumeGatewayURL == "wss://r.example")
        #expect(ready.user.id == Snowflake(80_351_110_224_678_912))
        #expect(ready.shard == ShardID(index: 0, count: 1))
    }

    @Test func malformedFramesAreTypedErrorsNotCrashes() {
        for bad in ["", "not json", "[]", #"{"d":1}"#, #"{"op":0,"s":1,"d":{}}"#, #"{"op":10,"d":{}}"#, #"{"op":"ten"}"#] {
            #expect(throws: GatewayCodecError.self) { try decode(bad) }
        }
    }

    @Test func encodesCommandsAsDiscordExpects() throws {
        let heartbeat = try GatewayFrameCodec.encode(.heartbeat(sequence: nil))
        #expect(String(decoding: heartbeat, as: UTF8.self) == #"{"d":null,"op":1}"#)
        let resume = try GatewayFrameCodec.encode(.resume(ResumePayload(token: "t", sessionID: "s", sequence: 7)))
        #expect(String(decoding: resume, as: UTF8.self) == #"{"d":{"seq":7,"session_id":"s","token":"t"},"op":6}"#)
        let identify = try GatewayFrameCodec.encode(.identify(IdentifyPayload(
            token: "t", intents: 0, properties: IdentifyProperties(os: "linux", browser: "clanbot", device: "clanbot"),
            shard: ShardID(index: 1, count: 2)
        )))
        let object = try JSONSerialization.jsonObject(with: identify) as? [String: Any]
        let d = object?["d"] as? [String: Any]
        #expect(object?["op"] as? Int == 2)
        #expect(d?["shard"] as? [Int] == [1, 2])
        #expect((d?["properties"] as? [String: String])?["os"] == "linux")
    }

    @Test func refusesPayloadsOverFourKilobytes() {
        let huge = IdentifyPayload(token: String(repeating: "x", count: 5000), intents: 0, properties: IdentifyProperties(), shard: ShardID(index: 0, count: 1))
        #expect {
            try GatewayFrameCodec.encode(.identify(huge))
        } throws: { error in
            guard case GatewayCodecError.payloadTooLarge(let opcode, let size, let limit) = error else { return false }
            return opcode == 2 && size > 4096 && limit == 4096
        }
    }

    @Test func shardRoutingFollowsTheGuildIdFormula() {
        // (guild_id >> 22) % n, computed by hand for 41771983423143937 (docs example id): >> 22 = 9959216934
        #expect(ShardID.forGuild(41_771_983_423_143_937, count: 16) == 9_959_216_934 % 16)
    }
}

@Suite struct GatewayLimitsTests {
    @Test func ordinaryEventsStopShortOfTheLimitSoHeartbeatsAlwaysFit() {
        var limiter = GatewaySendLimiter(limit: 120, window: 60, reservedForHeartbeats: 5)
        for i in 0..<115 { #expect(limiter.reserve(.normal, now: Double(i) * 0.01) == nil) }
        let wait = limiter.reserve(.normal, now: 2)
        #expect(wait != nil)
        // The first send (at 0) leaves the window at 60 s.
        #expect(abs((wait ?? 0) - 58) < 0.001)
        for _ in 0..<5 { #expect(limiter.reserve(.heartbeat, now: 2) == nil) }
        #expect(limiter.reserve(.heartbeat, now: 2) != nil)
        #expect(limiter.sentInWindow == 120)
        #expect(limiter.reserve(.normal, now: 61.2) == nil)
    }

    @Test func noSixtySecondWindowEverHoldsMoreThanTheLimit() {
        var limiter = GatewaySendLimiter()
        var now = 0.0
        var sent: [Double] = []
        var generator = SeededGenerator(seed: 7)
        while now < 600 {
            let priority: GatewaySendLimiter.Priority = generator.next() % 10 == 0 ? .heartbeat : .normal
            if let wait = limiter.reserve(priority, now: now) {
                now += wait
            } else {
                sent.append(now)
                now += Double(generator.next() % 100) / 1000
            }
        }
        for (index, time) in sent.enumerated() {
            let inWindow = sent[index...].prefix { $0 < time + 60 }.count
            #expect(inWindow <= 120)
        }
        #expect(sent.count > 1000)
    }

    @Test func identifiesRespectMaxConcurrencyBuckets() {
        var scheduler = IdentifyScheduler(limit: SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 3_600_000, maxConcurrency: 2), now: 0)
        #expect(scheduler.reserve(shard: 0, now: 0) == .proceed(remaining: 999, low: false))
        #expect(scheduler.reserve(shard: 1, now: 0) == .proceed(remaining: 998, low: false))  // bucket 1
        #expect(scheduler.reserve(shard: 2, now: 1) == .wait(seconds: 4, reason: .concurrency))  // bucket 0 again
        #expect(scheduler.reserve(shard: 2, now: 5) == .proceed(remaining: 997, low: false))
    }

    @Test func theDailyBudgetIsReportedWhenLowAndWaitedForWhenSpent() {
        var scheduler = IdentifyScheduler(limit: SessionStartLimit(total: 1000, remaining: 101, resetAfter: 10_000, maxConcurrency: 1), now: 0)
        #expect(scheduler.reserve(shard: 0, now: 0) == .proceed(remaining: 100, low: false))
        #expect(scheduler.reserve(shard: 0, now: 5) == .proceed(remaining: 99, low: true))

        var spent = IdentifyScheduler(limit: SessionStartLimit(total: 1000, remaining: 0, resetAfter: 10_000, maxConcurrency: 1), now: 0)
        #expect(spent.reserve(shard: 0, now: 2) == .wait(seconds: 8, reason: .dailyLimitExhausted))
        #expect(spent.reserve(shard: 0, now: 10) == .proceed(remaining: 999, low: false))
    }

    @Test func shardSelectionsParseAndRejectClearly() throws {
        #expect(try ShardSelection.parse("0..3/8").shards.map(\.index) == [0, 1, 2, 3])
        #expect(try ShardSelection.parse("5/8").shards == [ShardID(index: 5, count: 8)])
        #expect(ShardSelection.all(count: 3).shards.map(\.index) == [0, 1, 2])
        for bad in ["", "3", "0..3", "a..b/8", "0..8/8", "4..2/8", "0..1/0", "-1..2/4", "1..2..3/4"] {
            #expect(throws: ShardSelection.ParseError.self, "\(bad)") { try ShardSelection.parse(bad) }
        }
        do {
            _ = try ShardSelection.parse("0..8/8")
        } catch {
            #expect(error.description.contains("0 to 7"))
        }
    }
}

