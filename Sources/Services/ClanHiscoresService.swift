import Domain
import Foundation
import Storage

/// The clan's own hiscores: members ranked by their current level, xp, kill count or clue count, from each one's
/// latest snapshot (with its time, so a stale figure shows as stale).
public struct ClanHiscoresService: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// The ranking for `metric`; its skill or boss spelled as the hiscores spell it. Throws
    /// `UnknownMetricRow` for a skill or boss no snapshot holds.
    public func hiscores(clanID: Int64, metric: HiscoresMetric) async throws -> ClanHiscores {
        try await store.read { db in
            guard try db.clans.find(id: clanID) != nil else { throw ServiceError.clanNotFound(id: clanID) }
            let fetched: (name: String, members: [ClanHiscores.Input])
            do {
                fetched = try db.latestRows.fetch(clanID: clanID, row: metric.row)
            } catch is UnknownMetricRow where metric == .overall {
                // Nothing snapshotted yet: everyone is listed without a snapshot.
                let members = try db.members.listActive(clanID: clanID).map {
                    ClanHiscores.Input(accountID: $0.account.id, name: $0.account.displayName, snapshotAt: nil, rank: nil, level: nil, value: nil)
                }
                return ClanHiscores.build(metric: .overall, members: members)
            }
            let canonical: HiscoresMetric = switch metric {
            case .overall, .clues: metric
            case .skill: .skill(fetched.name)
            case .boss: .boss(fetched.name)
            }
            return ClanHiscores.build(metric: canonical, members: fetched.members)
        }
    }
}
