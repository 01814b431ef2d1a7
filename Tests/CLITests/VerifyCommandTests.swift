import Foundation
import Testing
@testable import ClanbotCLI
import TestSupport

/// `clanbot verify` on the published test vectors (docs/draw-vectors), untouched and tampered with.
@Suite struct VerifyCommandTests {
    /// A per-test directory holding a vector's proof and entry file, removed afterwards.
    final class Vector: Sendable {
        let files: TemporaryDirectory
        let proofText: String
        let entries: String

        init(_ name: String) throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let data = try Data(contentsOf: root.appendingPathComponent("docs/draw-vectors/\(name).json"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let proof = try #require(object["proof"] as? [String: Any])
            proofText = String(decoding: try JSONSerialization.data(withJSONObject: proof), as: UTF8.self)
            entries = try #require(object["entries_file"] as? String)
            files = try TemporaryDirectory("verify")
        }

        func write(_ name: String, _ text: String) throws -> String {
            try files.write(name, text)
        }

        func string(_ path: String...) -> String {
            var value: Any? = try? JSONSerialization.jsonObject(with: Data(proofText.utf8))
            for key in path { value = (value as? [String: Any])?[key] }
            if let number = value as? Int { return String(number) }
            return value as? String ?? ""
        }
    }

    func run(_ arguments: [String]) async -> (status: Int32, output: CapturedOutput) {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["verify"] + arguments, environment: [:], output: output)
        return (status, output)
    }

    @Test(arguments: ["n1", "n5", "n8-power-of-two", "several-winners-repeat-skipped", "no-beacon", "v2-n5", "v2-several-winners-repeat-skipped", "v2-no-beacon"])
    func anUntouchedProofPasses(name: String) async throws {
        let vector = try Vector(name)
        let (status, output) = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", try vector.write("entries.txt", vector.entries)])
        #expect(status == 0, "\(output.standardOutput)\n\(output.standardError)")
        #expect(output.standardOutput.contains("PASS  commitment"))
        #expect(!output.standardOutput.contains("FAIL"))
        #expect(output.standardOutput.contains(vector.string("seed")))
    }

    @Test func aChangedSecretFails() async throws {
        let vector = try Vector("n5")
        let secret = vector.string("secret")
        let forged = String(secret.reversed())
        let (status, output) = await run(["--proof", try vector.write("proof.json", vector.proofText.replacingOccurrences(of: secret, with: forged)), "--entries", try vector.write("entries.txt", vector.entries)])
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  commitment"))
        #expect(output.standardOutput.contains("checks FAILED"))
    }

    @Test func theBeaconsBLSSignatureIsChecked() async throws {
        let vector = try Vector("n5")
        let entries = try vector.write("entries.txt", vector.entries)
        let passing = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", entries])
        #expect(passing.output.standardOutput.contains("PASS  beacon signature"))
        // Another real round's signature with randomness = SHA-256 of it: only the BLS check can tell.
        let signature = vector.string("beacon", "signature")
        let other = [FakeDrandRelay.quicknetRound2, FakeDrandRelay.quicknetRound3].first { $0.signature != signature }!
        let swapped = vector.proofText.replacingOccurrences(of: signature, with: other.signature)
            .replacingOccurrences(of: vector.string("beacon", "randomness"), with: other.randomness)
        let (status, output) = await run(["--proof", try vector.write("swapped.json", swapped), "--entries", entries])
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  beacon signature"))
        #expect(output.standardOutput.contains("does not match this message"))
    }

    @Test func drandPublicKeyReplacesTheQuicknetKey() async throws {
        let vector = try Vector("n5")
        let output = CapturedOutput()
        let status = await CommandLineTool.main(
            arguments: ["verify", "--proof", try vector.write("proof.json", vector.proofText), "--entries", try vector.write("entries.txt", vector.entries)],
            environment: ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex], output: output)
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  beacon signature"))
        #expect(output.standardOutput.contains("1 of"))
    }

    @Test func aChangedEntryFileFails() async throws {
        let vector = try Vector("n5")
        let (status, output) = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", try vector.write("entries.txt", vector.entries.replacingOccurrences(of: "zezima", with: "zezimb"))])
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  entries digest"))
        let reordered = try vector.write("reordered.txt", "zezima\n" + vector.entries.replacingOccurrences(of: "zezima\n", with: ""))
        let second = await run(["--proof", try vector.write("proof.json", vector.proofText), "--entries", reordered])
        #expect(second.status == 1)
        #expect(second.output.standardOutput.contains("FAIL  entry file format"))
    }

    @Test func aChangedRoundOrRandomnessFails() async throws {
        let vector = try Vector("n5")
        let round = vector.proofText.replacingOccurrences(of: "\"round\":3", with: "\"round\":4")
        #expect(round != vector.proofText)
        let (status, output) = await run(["--proof", try vector.write("proof.json", round), "--entries", try vector.write("entries.txt", vector.entries)])
        #expect(status == 1)
        #expect(output.standardOutput.contains("FAIL  seed input"))
        let randomness = vector.string("beacon", "randomness")
        let other = vector.proofText.replacingOccurrences(of: randomness, with: String(randomness.reversed()))
        let second = await run(["--proof", try vector.write("proof2.json", other), "--entries", try vector.write("entries.txt", vector.entries)])
        #expect(second.status == 1)
        #expect(second.output.standardOutput.contains("FAIL  beacon randomness"))
    }

    @Test func publishedValuesAreComparedWithTheProof() async throws {
        let vector = try Vector("n5")
        let proof = try vector.write("proof.json", vector.proofText)
        let good = await run(["--proof", proof, "--commitment", vector.string("activation", "commitment"), "--round", "3", "--contest=2", "--winner", "B0aty"])
        #expect(good.status == 0, "\(good.output.standardOutput)")
        #expect(good.output.standardOutput.contains("note: No entry file was given"))
        let bad = await run(["--proof", proof, "--commitment", String(repeating: "0", count: 64)])
        #expect(bad.status == 1)
        #expect(bad.output.standardOutput.contains("FAIL  published commitment"))
    }

    @Test func theDrawCanBeCheckedFromTypedInValues() async throws {
        let vector = try Vector("several-winners-repeat-skipped")
        let entries = try vector.write("entries.txt", vector.entries)
        var arguments = [
            "--scheme", "v1", "--contest", vector.string("activation", "contest_id"), "--end-at-ms", vector.string("activation", "end_at_ms"),
            "--secret", vector.string("secret"), "--commitment", vector.string("activation", "commitment"),
            "--round", vector.string("beacon", "round"), "--signature", vector.string("beacon", "signature"),
            "--entries", entries, "--winners", "3",
        ]
        let good = await run(arguments + ["--winner", "zezima", "--winner", "b0aty", "--winner", "woox"])
        #expect(good.status == 0, "\(good.output.standardOutput)\n\(good.output.standardError)")
        #expect(good.output.standardOutput.contains("skipped_repeat"))
        arguments[9] = String(repeating: "1", count: 64)  // another commitment than the one published
        let bad = await run(arguments)
        #expect(bad.status == 1)
        #expect(bad.output.standardOutput.contains("FAIL  commitment"))

        let none = try Vector("no-beacon")
        let noBeacon = await run([
            "--scheme", "clanbot-draw-v1", "--contest", none.string("activation", "contest_id"), "--end-at-ms", none.string("activation", "end_at_ms"),
            "--secret", none.string("secret"), "--commitment", none.string("activation", "commitment"), "--no-beacon",
            "--entries", try none.write("entries.txt", none.entries), "--winners", "2",
        ])
        #expect(noBeacon.status == 0, "\(noBeacon.output.standardOutput)\n\(noBeacon.output.standardError)")
        #expect(noBeacon.output.standardOutput.contains("no external randomness"))
    }

    /// v2: what the lock published (its record's values and the entry file) and round R give the winners before
    /// the draw; the same values under the wrong scheme give a different draw, and no scheme is a usage error.
    @Test func aV2DrawIsComputedFromTheLockRecordAndTheBeacon() async throws {
        let vector = try Vector("v2-several-winners-repeat-skipped")
        let entries = try vector.write("entries.txt", vector.entries)
        let values = [
            "--contest", vector.string("activation", "contest_id"), "--end-at-ms", vector.string("activation", "end_at_ms"),
            "--secret", vector.string("secret"), "--commitment", vector.string("activation", "commitment"),
            "--round", vector.string("beacon", "round"), "--signature", vector.string("beacon", "signature"),
            "--entries", entries, "--winners", vector.string("winners_requested"),
        ]
        let winners = vector.proofText.components(separatedBy: "\"name\":\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        #expect(winners.count == 3)
        let good = await run(["--scheme", "v2"] + values + winners.flatMap { ["--winner", $0] })
        #expect(good.status == 0, "\(good.output.standardOutput)\n\(good.output.standardError)")
        #expect(good.output.standardOutput.contains(vector.string("seed")))
        #expect(good.output.standardOutput.contains("published when the entries locked"))
        let wrong = await run(["--scheme", "v1"] + values + winners.flatMap { ["--winner", $0] })
        #expect(!wrong.output.standardOutput.contains(vector.string("seed")))
        let missing = await run(values)
        #expect(missing.status == 64)
        #expect(missing.output.standardError.contains("--scheme"))
        let unknown = await run(["--scheme", "v9"] + values)
        #expect(unknown.status == 64)
        #expect(unknown.output.standardError.contains("clanbot-draw-v1 or clanbot-draw-v2"))
        // With a proof, an announced scheme is compared with the proof's.
        let proof = try vector.write("proof.json", vector.proofText)
        let mismatch = await run(["--proof", proof, "--scheme", "v1"])
        #expect(mismatch.status == 1)
        #expect(mismatch.output.standardOutput.contains("FAIL  published scheme"))
    }

    @Test func mistakesAreExplained() async throws {
        let empty = await run([])
        #expect(empty.status == 64)
        #expect(empty.output.standardError.contains("--proof FILE"))
        let unknown = await run(["--frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.output.standardError.contains("unknown option '--frobnicate'"))
        let missing = await run(["--proof", "/nonexistent/proof.json"])
        #expect(missing.status != 0)
        #expect(missing.output.standardError.contains("cannot read the proof"))
        let vector = try Vector("n1")
        let garbage = await run(["--proof", try vector.write("proof.json", "{\"scheme\": 1}")])
        #expect(garbage.status != 0)
        #expect(garbage.output.standardError.contains("proof"))
        let incomplete = await run(["--scheme", "v2", "--contest", "1", "--secret", "00"])
        #expect(incomplete.status == 64)
        #expect(incomplete.output.standardError.contains("--end-at-ms"))
        let mixed = await run(["--proof", "x.json", "--secret", "00"])
        #expect(mixed.status == 64)
    }
}
