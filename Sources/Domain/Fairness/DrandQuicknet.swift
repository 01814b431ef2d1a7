import Foundation

/// The drand "quicknet" beacon of the League of Entropy: unchained BLS signatures on G1, one round every 3 s.
/// Round R is published at `genesis + 3·(R − 1)` seconds; its randomness is SHA-256 of its 48-byte signature.
public enum DrandQuicknet {
    /// The chain's hash: the path component of `/{chain}/public/{round}` on any drand relay.
    public static let chainHash = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
    /// The group public key (G2), for anyone checking the BLS signature with a drand client.
    public static let publicKey = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
    /// Unix seconds of round 1.
    static let genesisSeconds: Int64 = 1_692_803_367
    public static let periodSeconds: Int64 = 3
    /// A compressed G1 point.
    public static let signatureLength = 48

    /// When round `round` (≥ 1) is published, in Unix epoch milliseconds.
    static func publicationMilliseconds(ofRound round: UInt64) -> Int64 {
        // Clamped so that a round number read from a file cannot overflow the arithmetic (10^14 rounds is 9.5 million years).
        let steps = round == 0 ? 0 : min(Int64(clamping: round - 1), 100_000_000_000_000)
        return (genesisSeconds + periodSeconds * steps) * 1000
    }

    /// When round `round` is published.
    public static func publicationTime(ofRound round: UInt64) -> Date {
        DrawClock.date(milliseconds: publicationMilliseconds(ofRound: round))
    }

    /// The first round published strictly after `milliseconds` (Unix epoch ms):
    /// the smallest R with `genesis + 3·(R − 1) > t`, i.e. `⌊(t − genesis)/3 s⌋ + 2` once the chain has started.
    public static func firstRound(afterMilliseconds milliseconds: Int64) -> UInt64 {
        let genesis = genesisSeconds * 1000
        guard milliseconds >= genesis else { return 1 }
        return UInt64((milliseconds - genesis) / (periodSeconds * 1000)) + 2
    }

    /// The URL path of round `round` on a relay: `/{chain-hash}/public/{round}`.
    public static func path(ofRound round: UInt64) -> String {
        "/\(chainHash)/public/\(round)"
    }
}

/// Unix epoch milliseconds, the unit every stored and published time of the draw uses.
/// (Named for this folder so it cannot clash with another part of Domain.)
public enum DrawClock {
    /// `date` in Unix epoch milliseconds, rounded to the nearest (so a time read back from milliseconds is exact).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
