import Foundation
import Testing
import TestSupport
@testable import Domain

/// An independent implementation (Tests/DomainTests/Python/check_draw_vectors.py: hashlib and hmac only,
/// written from docs/draw-scheme.md) agrees with every vector, and refuses a tampered one.
@Suite(.enabled(if: PythonChecker.available, "python3 is not installed"))
struct DrawPythonCheckTests {
    @Test func pythonAgreesWithEveryVector() async throws {
        let paths = (DrawVectorFiles.drawNames + DrawVectorFiles.streamNames + RankingVectorFiles.names).map { DrawVectorFiles.url($0).path }
        let result = try await PythonChecker.run(paths)
        #expect(result.status == 0, "\(result.output)")
        for path in paths { #expect(result.output.contains("OK \(path)")) }
    }

    @Test(arguments: [
        ("n5", "\"secret\" : \"", "secret"),
        ("n5", "zezima\\n", "entries"),
        ("several-winners-repeat-skipped", "\"outcome\" : \"skipped_repeat\"", "outcome"),
        // v2: the secret the lock published (the first "secret" in the file), and a v2 vector relabelled as v1.
        ("v2-several-winners-repeat-skipped", "\"secret\" : \"", "secret"),
        ("v2-n5", "clanbot-draw-v2", "scheme"),
        // A ranking: a tie-break key changed, and a score in the ranking file that the gains do not give.
        ("ranking-tie-at-boundary", "\"key\" : \"", "secret"),
        ("ranking-teams-tie", "33\\tred dragons", "score"),
    ])
    func pythonRefusesATamperedVector(name: String, needle: String, what: String) async throws {
        let original = try String(contentsOf: DrawVectorFiles.url(name), encoding: .utf8)
        let tampered: String
        switch what {
        case "secret": tampered = try Self.flipHexDigit(after: needle, in: original)
        case "entries": tampered = original.replacingOccurrences(of: needle, with: "zezima\\nzezima\\n")
        case "scheme": tampered = original.replacingOccurrences(of: needle, with: "clanbot-draw-v1")
        case "score": tampered = original.replacingOccurrences(of: needle, with: "34\\tred dragons")
        default: tampered = original.replacingOccurrences(of: needle, with: "\"outcome\" : \"winner\"")
        }
        #expect(tampered != original)
        let directory = try TemporaryDirectory("draw-python")
        let result = try await PythonChecker.run([try directory.write("\(name).json", tampered)])
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL"))
    }

    /// Changes the first hex digit after `needle` (0 ↔ 1, anything else → 0).
    static func flipHexDigit(after needle: String, in text: String) throws -> String {
        let range = try #require(text.range(of: needle))
        let digit = text[range.upperBound]
        var copy = text
        copy.replaceSubrange(range.upperBound...range.upperBound, with: digit == "0" ? "1" : "0")
        return copy
    }
}

enum PythonChecker {
    static let script = DrawVectorFiles.root.appendingPathComponent("Tests/DomainTests/Python/check_draw_vectors.py")

    static var python: String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var available: Bool { python != nil }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run([try #require(python), script.path] + arguments)
        return (result.status, result.text + result.errorText)
    }
}
