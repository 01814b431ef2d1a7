import Domain
import Testing
@testable import ClanbotCLI
import TestSupport

/// `clanbot verify-beacon` on real quicknet rounds (FakeDrandRelay.quicknetRound2/3, as published by drand), and on
/// the same rounds altered: every failure prints FAIL with its reason and exits 1.
@Suite struct VerifyBeaconCommandTests {
    func run(_ arguments: [String], environment: [String: String] = [:]) async -> (status: Int32, out: String, err: String) {
        let output = CapturedOutput()
        let status = await CommandLineTool.main(arguments: ["verify-beacon"] + arguments, environment: environment, output: output)
        return (status, output.standardOutput, output.standardError)
    }

    static let round2 = FakeDrandRelay.quicknetRound2

    @Test func aRealQuicknetRoundPasses() async {
        let result = await run(["--round", "2", "--signature", Self.round2.signature, "--randomness", Self.round2.randomness])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.hasPrefix("PASS  round 2"))
        #expect(result.out.contains("quicknet"))
        let round3 = FakeDrandRelay.quicknetRound3
        #expect(await run(["--round=3", "--signature=\(round3.signature)"]).status == 0)
    }

    @Test func theWrongRoundFails() async {
        let result = await run(["--round", "3", "--signature", Self.round2.signature])
        #expect(result.status == 1)
        #expect(result.out.hasPrefix("FAIL  round 3"))
        #expect(result.out.contains("does not match this message"))
    }

    @Test func aFlippedBitFails() async {
        var signature = Array(Self.round2.signature)
        signature[95] = signature[95] == "7" ? "6" : "7"
        let result = await run(["--round", "2", "--signature", String(signature)])
        #expect(result.status == 1)
        #expect(result.out.hasPrefix("FAIL  round 2"))
    }

    @Test func aSignatureNotOnTheCurveOrOutsideTheSubgroupFailsWithThatReason() async {
        // x = 1 has no point on y² = x³ + 4; (0, 2) is on the curve but not in G1 (both checked with py_ecc).
        let notOnCurve = "80" + String(repeating: "0", count: 92) + "01"
        let onCurve = await run(["--round", "2", "--signature", notOnCurve])
        #expect(onCurve.status == 1)
        #expect(onCurve.out.contains("not a point on the BLS12-381 curve"))
        let outside = await run(["--round", "2", "--signature", "80" + String(repeating: "0", count: 94)])
        #expect(outside.status == 1)
        #expect(outside.out.contains("not in the prime-order subgroup"))
    }

    @Test func aRandomnessThatIsNotTheHashOfTheSignatureFails() async {
        let result = await run(["--round", "2", "--signature", Self.round2.signature, "--randomness", String(repeating: "ab", count: 32)])
        #expect(result.status == 1)
        #expect(result.out.contains("SHA-256(signature)"))
    }

    @Test func anotherKeyComesFromTheEnvironmentOrTheFlag() async {
        let fake = FakeDrandRelay.beacon(round: 7)
        let environment = ["DRAND_PUBLIC_KEY": FakeDrandRelay.publicKeyHex]
        #expect(await run(["--round", "7", "--signature", fake.signature], environment: environment).status == 0)
        #expect(await run(["--round", "7", "--signature", fake.signature, "--public-key", FakeDrandRelay.publicKeyHex]).status == 0)
        // Under quicknet's key (the default) the test relay's round fails, and a real round fails under the test key.
        #expect(await run(["--round", "7", "--signature", fake.signature]).status == 1)
        let real = await run(["--round", "2", "--signature", Self.round2.signature], environment: environment)
        #expect(real.status == 1)
        #expect(real.out.contains("public key"))
    }

    @Test func badInputIsAUsageOrConfigurationError() async {
        #expect(await run(["--signature", Self.round2.signature]).status == 64)
        #expect(await run(["--round", "2"]).status == 64)
        #expect(await run(["--round", "2", "--signature", "xyz"]).status == 64)
        #expect(await run(["--round", "2", "--signature", Self.round2.signature, "--public-key", "abcd"]).status == 64)
        let badKey = await run(["--round", "2", "--signature", Self.round2.signature], environment: ["DRAND_PUBLIC_KEY": "00"])
        #expect(badKey.status == CommandLineError.configurationExitStatus)
        #expect(badKey.err.contains("DRAND_PUBLIC_KEY"))
    }
}
