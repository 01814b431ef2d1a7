@testable import Domain
import Foundation
import Testing
@testable import Hiscores
import TestSupport

/// Malformed hiscores bodies never crash or hang: every mutation of a real body is parsed into a record
/// or refused with a `HiscoresParseError`, and whatever is accepted is safe for deltas and clan totals.
@Suite struct HiscoresParserMutationTests {
    static let body = Array(HiscoresFixture.Player.typical(seed: 7).json.utf8)
    static let baseline = HiscoresFixture.Player.typical(seed: 8).record

    /// What the bot computes from a parsed record: deltas both ways and clan totals over many members.
    static func exercise(_ record: HiscoresRecord) {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        func snapshot(_ id: Int64, _ record: HiscoresRecord, _ at: Date) -> PlayerSnapshot {
            PlayerSnapshot(id: id, accountID: 1, fetchedAt: at, requestedBoard: .regular, resolvedType: nil, latencyMs: 0, record: record)
        }
        for (first, second) in [(baseline, record), (record, baseline), (HiscoresFixture.Player.unranked.record, record)] {
            let delta = SnapshotDelta(from: snapshot(1, first, start), to: snapshot(2, second, start.addingTimeInterval(3_600)))
            _ = (delta.totalXPGained, delta.totalLevelsGained, delta.bossKillsGained, delta.rollbacks, delta.cluesGained(.all))
        }
        let bounds = WindowBounds(baseline: SnapshotMark(id: 1, at: start), end: SnapshotMark(id: 2, at: start.addingTimeInterval(60)), partial: false)
        let members = (0..<10).map { index in
            MemberWindow(accountID: Int64(index), name: "m\(index)", bounds: bounds,
                         baselineRecord: HiscoresFixture.Player.unranked.record, endRecord: record)
        }
        _ = ClanStats.build(timeframe: "7d", window: TimeWindow(start: start, end: start.addingTimeInterval(60)),
                            generatedAt: start, members: members)
    }

    @Test func theUnmutatedBodyParses() throws {
        let record = try HiscoresParser.parse(Data(Self.body))
        #expect(record.skills.count == HiscoresFixture.skillNames.count)
        Self.exercise(record)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func mutatedBodiesGiveARecordOrATypedError(seed: UInt64) async {
        let (refused, problems) = await offThePool { () -> (Int, [String]) in
            var mutator = Mutator(seed: seed)
            var refused = 0
            var problems: [String] = []
            for index in 0..<500 {
                let bytes = mutator.mutate(Self.body, times: 3)
                do throws(HiscoresParseError) {
                    let record = try HiscoresParser.parse(Data(bytes))
                    // Whatever is accepted is safe for what the bot computes (deltas are slow in debug: every 8th).
                    if index % 8 == 0 { Self.exercise(record) }
                    let values = record.skills.flatMap { [$0.xp, Int64($0.rank), Int64($0.level)] }
                        + record.activities.flatMap { [Int64($0.score), Int64($0.rank)] }
                    if let wild = values.first(where: { $0 < -1 || $0 > HiscoresParser.largestValue }) {
                        problems.append("case \(index): accepted \(wild)")
                    }
                } catch {
                    refused += 1
                    if !(0...bytes.count).contains(error.offset) || error.reason.isEmpty { problems.append("case \(index): \(error)") }
                }
            }
            return (refused, problems)
        }
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
        #expect(refused > 0)
    }

    @Test(arguments: [
        "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "1000000000001", "-2", "4611686018427387904",
    ])
    func numbersNoPlayerCanHaveAreRefused(number: String) {
        let xp = "{\"skills\":[{\"id\":0,\"name\":\"Overall\",\"rank\":1,\"level\":99,\"xp\":\(number)}],\"activities\":[]}"
        let score = "{\"skills\":[],\"activities\":[{\"id\":0,\"name\":\"Zulrah\",\"rank\":1,\"score\":\(number)}]}"
        let rank = "{\"skills\":[{\"id\":0,\"name\":\"Overall\",\"rank\":\(number),\"level\":99,\"xp\":1}],\"activities\":[]}"
        for body in [xp, score, rank] {
            #expect(throws: HiscoresParseError.self) { _ = try HiscoresParser.parse(body) }
        }
    }

    /// Regression: two bosses with scores near Int64.max used to overflow the boss-kill sum (a crash).
    @Test func hugeScoresCannotOverflowTheSums() {
        let half = Int64.max / 2 + 1
        let body = "{\"skills\":[],\"activities\":[{\"name\":\"Zulrah\",\"rank\":1,\"score\":\(half)},{\"name\":\"Vorkath\",\"rank\":1,\"score\":\(half)}]}"
        #expect(throws: HiscoresParseError.self) { _ = try HiscoresParser.parse(body) }
        let largest = HiscoresParser.largestValue
        let accepted = "{\"skills\":[],\"activities\":[{\"name\":\"Zulrah\",\"rank\":1,\"score\":\(largest)},{\"name\":\"Vorkath\",\"rank\":1,\"score\":\(largest)}]}"
        let record = try? HiscoresParser.parse(accepted)
        #expect(record != nil)
        if let record { Self.exercise(record) }
    }

    @Test func deepNestingAndInvalidUTF8AreRefusedQuickly() throws {
        let deep = "{\"skills\":[],\"x\":" + String(repeating: "[", count: 100_000) + "}"
        #expect(throws: HiscoresParseError.self) { _ = try HiscoresParser.parse(deep) }
        var invalid = Array("{\"skills\":[{\"name\":\"".utf8)
        invalid += [0xFF, 0xC0, 0xAF, 0xED, 0xA0, 0x80]
        invalid += Array("\",\"rank\":1,\"level\":1,\"xp\":1}]}".utf8)
        let record = try HiscoresParser.parse(Data(invalid))
        #expect(record.skills.first?.name.unicodeScalars.contains("\u{FFFD}") == true)
    }
}
