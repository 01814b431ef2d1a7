import Foundation

/// How the draw's values map onto the columns of migration 1 (`contests`, `contest_draws`), so storage and
/// the contest service write and read them the same way.
extension RandomnessMode {
    /// `contests.randomness_mode`: 'drand' or 'none'.
    public var storedMode: String {
        switch self {
        case .drandQuicknet: "drand"
        case .none: "none"
        }
    }

    /// `contests.beacon_chain`: quicknet's chain hash, or nil.
    public var storedChain: String? {
        switch self {
        case .drandQuicknet: DrandQuicknet.chainHash
        case .none: nil
        }
    }

    /// `contests.beacon_round`: R, or nil.
    public var storedRound: Int64? {
        switch self {
        case .drandQuicknet(let round): Int64(clamping: round)
        case .none: nil
        }
    }

    /// Reads the three columns back; a row this scheme cannot have written is an error, not a guess.
    public init(storedMode: String, chain: String?, round: Int64?) throws(DrawError) {
        switch storedMode {
        case "drand":
            guard chain?.lowercased() == DrandQuicknet.chainHash else {
                throw .malformedValue("stored beacon chain '\(chain ?? "NULL")' is not drand quicknet")
            }
            guard let round, round >= 1 else { throw .malformedValue("a drand contest has no stored beacon round") }
            self = .drandQuicknet(round: UInt64(round))
        case "none":
            self = .none
        default:
            throw .malformedValue("unknown stored randomness mode '\(storedMode)'")
        }
    }
}

extension DrawProof {
    /// One `contest_draws` row per winner: `winner_position`, `ticket_index`, `counter`, `seed_reveal`,
    /// `beacon_round`, `beacon_randomness`, `beacon_signature`; `rng_proof` is `json` on every row.
    public struct WinnerRow: Sendable, Hashable {
        public var position: Int
        public var name: String
        public var ticketIndex: Int64
        public var counter: Int64
        public var seedReveal: String
        public var beaconRound: Int64?
        public var beaconRandomness: String?
        public var beaconSignature: String?
    }

    public var winnerRows: [WinnerRow] {
        winners.map {
            WinnerRow(
                position: $0.place, name: $0.name, ticketIndex: Int64(clamping: $0.index), counter: Int64($0.counter), seedReveal: secret,
                beaconRound: beacon.map { Int64(clamping: $0.round) }, beaconRandomness: beacon?.randomness, beaconSignature: beacon?.signature
            )
        }
    }
}
