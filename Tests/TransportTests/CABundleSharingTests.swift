import Foundation
import Testing
@testable import Transport

/// Every client trusting the same extra CA file shares one copy of the combined bundle (~250 KB of system roots).
@Suite struct CABundleSharingTests {
    @Test func clientsTrustingTheSameExtraFileShareOneBundleAndAnotherFileGetsItsOwn() throws {
        guard let system = CABundle.systemBundle(),
              let text = String(data: system, encoding: .utf8),
              let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
              let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
        else { return }
        let pem = String(text[start.lowerBound..<end.upperBound]) + "\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.pem"), second = directory.appendingPathComponent("b.pem")
        try Data(pem.utf8).write(to: first)
        try Data((pem + pem).utf8).write(to: second)

        let one = try CABundle.combined(extraFile: first.path)
        let two = try CABundle.combined(extraFile: first.path)
        #expect(one.withUnsafeBytes { $0.baseAddress } == two.withUnsafeBytes { $0.baseAddress })  // one copy
        let other = try CABundle.combined(extraFile: second.path)
        #expect(other.suffix(2 * pem.utf8.count) == Data((pem + pem).utf8))
        #expect(other.count == one.count + pem.utf8.count)
    }
}
