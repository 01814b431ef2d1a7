import Foundation
import Testing
@testable import ClanbotCLI
import TestSupport

/// `clanbot verify` on the ranking vectors (docs/draw-vectors/ranking-*.json): a ranking is recognised by its
/// `kind`, checked tie-break by tie-break, and a hand-made order or another ranking file fails.
@Suite struct VerifyRankingCommandTests {
    typealias Vector = VerifyCommandTests.Vector

    func run(_ arguments: [String]) async -> (status: Int32, output: CapturedOutput) {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["verify"] + arguments, environment: [:], output: output)
        return (status, output)
    }

    @Test(arguments: ["ranking-tie-at-boundary", "ranking-teams-tie", "ranking-no-beacon"])
    func anUntouchedRankingPasses(name: String) async throws {
        let vector = try Vector(name)
        let (status, output) = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", try vector.write("ranking.txt", vector.entries)])
        #expect(status == 0, "\(output.standardOutput)\n\(output.standardError)")
        #expect(output.standardOutput.contains("ranking of"))
        #expect(output.standardOutput.contains("PASS  tie-break key"))
        #expect(output.standardOutput.contains("PASS  ranking"))
        #expect(!output.standardOutput.contains("FAIL"))
    }

    @Test func anotherRankingFileOrAnotherSecretFails() async throws {
        let vector = try Vector("ranking-tie-at-boundary")
        let other = vector.entries.replacingOccurrences(of: "60\tb0aty\n60\twoox\n", with: "61\tb0aty\n60\twoox\n")
        #expect(other != vector.entries)
        let (status, output) = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", try vector.write("ranking.txt", other)])
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  entries digest"))
        let secret = vector.string("secret")
        let forged = vector.proofText.replacingOccurrences(of: secret, with: String(secret.reversed()))
        let (forgedStatus, forgedOutput) = await run(["--proof", try vector.write("forged.json", forged), "--entries", try vector.write("ranking.txt", vector.entries)])
        #expect(forgedStatus == 1)
        #expect(forgedOutput.standardOutput.contains("FAIL  commitment"))
    }

    @Test func theLockRecordAndRoundRGiveTheSameRanking() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("docs/draw-vectors/ranking-tie-at-boundary.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let lock = String(decoding: try JSONSerialization.data(withJSONObject: try #require(object["lock"])), as: UTF8.self)
        let vector = try Vector("ranking-tie-at-boundary")
        let (status, output) = await run(["--lock", try vector.write("lock.json", lock), "--entries", try vector.write("ranking.txt", vector.entries),
                                          "--signature", vector.string("beacon", "signature")])
        #expect(status == 0, "\(output.standardOutput)\n\(output.standardError)")
        #expect(output.standardOutput.contains("Winners: 1. zezima (75), 2. woox (60)"))
    }
}
