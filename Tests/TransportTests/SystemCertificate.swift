import Foundation
@testable import Transport

/// The first certificate of this host's CA bundle, as PEM text ending in a newline: any certificate will do
/// as an "extra" CA in the bundle tests. Nil when the host has no bundle (the tests then have nothing to check).
func firstSystemCertificatePEM() -> (system: Data, pem: String)? {
    guard let system = CABundle.systemBundle(),
        let text = String(data: system, encoding: .utf8),
        let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
        let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
    else { return nil }
    return (system, String(text[start.lowerBound..<end.upperBound]) + "\n")
}
