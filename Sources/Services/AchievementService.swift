import Domain
import Foundation
import Storage

/// The clan's achievements: the latest for `/achievements`, and those not yet announced for an announcer.
///
/// Achievements are detected and stored by `SnapshotService`, in the transaction that stores the snapshot
/// (`SnapshotOutcome.achievements`, `MemberSnapshotResult.achievements` and `BatchProgress.achievements` carry
/// the ones stored for the first time). Each is stored once, so an announcer that posts what those return, or
/// what `unannounced(clanID:after:)` returns after the last id it posted, posts each once.
public struct AchievementService: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// The latest achievements of the clan, or of one member.
    public struct Recent: Sendable {
        /// Newest first, at most the limit asked for.
        public var achievements: [StoredAchievement]
        /// How many there are in all (for "showing 20 of 134").
        public var total: Int
        /// The member asked about, as stored; nil for the whole clan.
        public var memberName: String?
    }

    /// The clan's latest achievements (or `rsn`'s, who must be an active member), newest first.
    public func recent(clanID: Int64, rsn: String? = nil, limit: Int = 20) async throws -> Recent {
        let name: RSN? = try rsn.map { text in
            do { return try RSN(text) } catch { throw ServiceError.invalidRequest("\(error)") }
        }
        return try await store.read { db in
            let clan = try db.clans.get(id: clanID)
            var account: Account?
            if let name {
                guard let found = try db.accounts.find(name), let member = try db.members.find(clanID: clanID, accountID: found.id),
                      member.isActive else {
                    throw ServiceError.invalidRequest("\(name.display) is not a member of \(clan.name); check the spelling or add them with /clan add")
                }
                account = found
            }
            let list = try db.achievements.recent(clanID: clanID, accountID: account?.id, limit: limit)
            let total = try db.achievements.count(clanID: clanID, accountID: account?.id)
            return Recent(achievements: list, total: total, memberName: account?.displayName)
        }
    }

    /// Achievements of the clan's active members stored after the one with id `afterID` (0: from the first), oldest
    /// first, at most `limit`: an announcer posts these and keeps the last id as its cursor.
    func unannounced(clanID: Int64, after afterID: Int64, limit: Int = 100) async throws -> [StoredAchievement] {
        try await store.read { db in try db.achievements.stored(clanID: clanID, after: afterID, limit: limit) }
    }
}
