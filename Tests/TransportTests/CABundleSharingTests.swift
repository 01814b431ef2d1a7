import Foundation
import TestSupport
import Testing
@testable import Transport

/// Every client trusting the same extra CA file shares one copy of the combined bundle (~250 KB of system roots).
@Suite struct CABundleSharingTests {
    @Test func clientsTrustingTheSameExtraFileShareOneBundleAndAnotherFileGetsItsOwn() throws {
        guard let (_, pem) = firstSystemCertificatePEM() else { return }
        let files = try TemporaryDirectory("ca-sharing")
        let first = try files.write("a.pem", pem), second = try files.write("b.pem", pem + pem)

        let one = try CABundle.combined(extraFile: first)
        let two = try CABundle.combined(extraFile: first)
        #expect(one.withUnsafeBytes { $0.baseAddress } == two.withUnsafeBytes { $0.baseAddress })  // one copy
        let other = try CABundle.combined(extraFile: second)
        #expect(other.suffix(2 * pem.utf8.count) == Data((pem + pem).utf8))
        #expect(other.count == one.count + pem.utf8.count)
    }
}
