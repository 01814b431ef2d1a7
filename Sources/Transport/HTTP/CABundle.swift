import CCurl
import Foundation
import Synchronization

/// Builds the CA certificates a client trusts when an extra bundle (SSL_CERT_FILE) is configured.
///
/// CURLOPT_CAINFO *replaces* the default bundle, so pointing it at the extra file alone would stop every
/// public site from verifying. Pointing CURLOPT_CAPATH at /etc/ssl/certs instead only works where that
/// directory is hashed (c_rehash), which is not true everywhere. So we read the system bundle libcurl
/// was built with (plus the usual distribution paths as fallbacks), append the extra file, and hand the
/// concatenation to libcurl in memory (CURLOPT_CAINFO_BLOB, which overrides CAINFO). Both the system
/// roots and the extra CA then verify, on any layout. The files are read once per client, but the bundle (about
/// 250 KB of system roots) is held once per process: every client made with the same extra file shares it.
enum CABundle {
    static let systemCandidates = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine
        "/etc/pki/tls/certs/ca-bundle.crt",  // Fedora, RHEL
        "/etc/ssl/cert.pem",  // macOS, BSD
    ]

    static func combined(extraFile path: String) throws(HTTPError) -> Data {
        guard let extra = FileManager.default.contents(atPath: path) else {
            throw .tlsConfiguration(message: "cannot read the CA bundle \(path) (SSL_CERT_FILE): missing or unreadable")
        }
        guard String(decoding: extra, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw .tlsConfiguration(message: "\(path) (SSL_CERT_FILE) holds no PEM certificate")
        }
        return combinations.withLock { held in
            if let bundle = held.first(where: { $0.extra == extra })?.bundle { return bundle }
            var bundle = systemBundle() ?? Data()
            if let last = bundle.last, last != UInt8(ascii: "\n") { bundle.append(UInt8(ascii: "\n")) }
            bundle.append(extra)
            if held.count >= 4 { held.removeFirst() }  // a process trusts one extra file; tests, a few at a time
            held.append((extra, bundle))
            return bundle
        }
    }

    /// The bundles combined, with the extra file each was combined with (the last few).
    private static let combinations = CombinedBundles()

    /// The system roots, or nil when none of the known places has them.
    static func systemBundle() -> Data? {
        var paths: [String] = []
        if let builtIn = clanbot_curl_default_cainfo() { paths.append(String(cString: builtIn)) }
        paths += systemCandidates
        for path in paths {
            if let data = FileManager.default.contents(atPath: path), !data.isEmpty { return data }
        }
        return nil
    }
}

/// The combined bundles, shared by the clients that trust the same extra file.
private final class CombinedBundles: Sendable {
    private let held = Mutex<[(extra: Data, bundle: Data)]>([])

    func withLock<T>(_ body: (inout [(extra: Data, bundle: Data)]) -> T) -> T {
        held.withLock { held -> T in body(&held) }
    }
}
