import Cryptography
import Foundation

/// Signs the body of a custom webhook so a receiver can check it came from this bot and is fresh.
///
/// Headers sent: `X-Clanbot-Timestamp: <unix seconds>` and
/// `X-Clanbot-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`.
/// A receiver recomputes the HMAC with its copy of the secret, compares in constant time,
/// and rejects timestamps older than a few minutes (replays).
public enum WebhookSignature {
    public static let timestampHeader = "X-Clanbot-Timestamp"
    public static let signatureHeader = "X-Clanbot-Signature"

    public static func sign(body: [UInt8], secret: [UInt8], timestamp: Int64) -> String {
        "v1=" + Digest.hmacSHA256(key: secret, message: Array("\(timestamp).".utf8) + body).hexString
    }

    public static func headers(body: [UInt8], secret: [UInt8], timestamp: Int64) -> [(String, String)] {
        [(timestampHeader, String(timestamp)), (signatureHeader, sign(body: body, secret: secret, timestamp: timestamp))]
    }

    /// True when `signature` is the one `sign` gives for this body, secret and timestamp.
    public static func isValid(signature: String, body: [UInt8], secret: [UInt8], timestamp: Int64) -> Bool {
        let expected = Array(sign(body: body, secret: secret, timestamp: timestamp).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}
