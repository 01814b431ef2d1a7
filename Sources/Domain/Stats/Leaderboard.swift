import Foundation

/// A ranked list of members by one metric over one window. Codable: it is cached as JSON.
public struct Leaderboard: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        /// Competition rank: ties share it, the next rank skips (1, 2, 2, 4).
        public var rank: Int
        public var accountID: Int64
        public var name: String
        public var value: Int64
        /// The baseline is the member's first snapshot inside the window, not one from before it.
        public var partial: Bool
        /// The value started unranked, so the gain is a lower bound.
        public var estimated: Bool
        /// The value went down (hiscores rollback); counted as no gain.
        public var rollback: Bool

        public init(rank: Int, accountID: Int64, name: String, value: Int64, partial: Bool, estimated: Bool, rollback: Bool) {
            self.rank = rank
            self.accountID = accountID
            self.name = name
            self.value = value
            self.partial = partial
            self.estimated = estimated
            self.rollback = rollback
        }

        // Cached boards are decoded on every warm read in another process: a row is stored as a
        // short array [rank, account, name, value, flags], which decodes several times faster than keys.
        public init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            rank = try container.decode(Int.self)
            accountID = try container.decode(Int64.self)
            name = try container.decode(String.self)
            value = try container.decode(Int64.self)
            let flags = try container.decode(Int.self)
            partial = flags & 1 != 0
            estimated = flags & 2 != 0
            rollback = flags & 4 != 0
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(rank)
            try container.encode(accountID)
            try container.encode(name)
            try container.encode(value)
            try container.encode((partial ? 1 : 0) | (estimated ? 2 : 0) | (rollback ? 4 : 0))
        }
    }

    public var metric: LeaderboardMetric
    public var timeframe: String
    public var window: TimeWindow
    public var generatedAt: Date
    public var rows: [Row]
    /// Active members with no two snapshots to compare in the window.
    public var withoutData: [MemberRef]

    public init(metric: LeaderboardMetric, timeframe: String, window: TimeWindow, generatedAt: Date,
                rows: [Row], withoutData: [MemberRef]) {
        self.metric = metric
        self.timeframe = timeframe
        self.window = window
        self.generatedAt = generatedAt
        self.rows = rows
        self.withoutData = withoutData
    }

    /// Ranks members by `metric`, highest first; equal values share a rank and are listed by name.
    public static func build(metric: LeaderboardMetric, timeframe: String, window: TimeWindow, generatedAt: Date,
                             members: [MemberWindow]) -> Leaderboard {
        var unranked: [Row] = []
        var withoutData: [MemberRef] = []
        for member in members {
            guard let delta = member.delta() else {
                withoutData.append(MemberRef(accountID: member.accountID, name: member.name))
                continue
            }
            let (value, change) = metric.gain(in: delta)
            unranked.append(Row(rank: 0, accountID: member.accountID, name: member.name, value: value,
                                partial: member.bounds.partial, estimated: change?.isEstimate ?? false,
                                rollback: change?.kind == .decreased))
        }
        unranked.sort { ($0.value, $1.name.lowercased(), $1.accountID) > ($1.value, $0.name.lowercased(), $0.accountID) }
        let ranks = Ranking.competitionRanks(unranked.map(\.value))
        for index in unranked.indices { unranked[index].rank = ranks[index] }
        withoutData.sort { $0.name.lowercased() < $1.name.lowercased() }
        return Leaderboard(metric: metric, timeframe: timeframe, window: window, generatedAt: generatedAt,
                           rows: unranked, withoutData: withoutData)
    }
}
