import Foundation

/// The versions of the draw scheme this build knows (docs/draw-scheme.md). A contest keeps the version it was
/// activated with for good, so a contest activated under v1 is drawn and verified as v1 forever.
///
/// The seed derivation is the same in both except the tag; what differs is when the secret is published:
/// - `clanbot-draw-v1`: at the draw. After the beacon round exists the host could compute the result first and withhold it.
/// - `clanbot-draw-v2`: with a beacon, when the entries lock (before the round exists), so from `t(R)` on anyone can
///   compute the winners and the leader's draw only announces them. Without a beacon, at the draw, as in v1.
public enum DrawSchemeVersion: String, Sendable, Hashable, CaseIterable, Codable {
    case v1 = "clanbot-draw-v1"
    case v2 = "clanbot-draw-v2"

    /// What new activations use.
    public static let current = DrawSchemeVersion.v2

    public var identifier: String { rawValue }

    /// The domain-separation tag that starts the seed input: the ASCII identifier and one zero byte (16 bytes),
    /// so a v2 seed can never equal a v1 seed for the same values.
    public var tag: [UInt8] { Array(rawValue.utf8) + [0] }

    /// The identifier, or its short form `v1` / `v2` (as typed on a command line).
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let version = Self(rawValue: lowered) ?? Self(rawValue: "clanbot-draw-" + lowered) else { return nil }
        self = version
    }

    /// Whether the secret is published when the entries lock (v2 with a beacon) rather than at the draw.
    public func publishesSecretAtLock(_ randomness: RandomnessMode) -> Bool {
        self == .v2 && randomness != .none
    }

    /// "clanbot-draw-v1 or clanbot-draw-v2", for messages.
    public static var known: String { allCases.map(\.identifier).joined(separator: " or ") }
}

extension DrawCommitment {
    /// The version named by `scheme`, nil for a scheme this build does not know.
    public var version: DrawSchemeVersion? { DrawSchemeVersion(rawValue: scheme) }

    /// Whether this contest's secret is public from the moment its entries lock (v2 with a beacon).
    public var publishesSecretAtLock: Bool { version?.publishesSecretAtLock(randomness) ?? false }
}
