import Domain
import Foundation
import Storage

/// A member's profile (`PlayerProfile`) from the stored data: no hiscores request, so it answers at once and
/// costs none of the clan's hiscores budget (`/snapshot player` is the fresh lookup).
public struct PlayerProfileService: Sendable {
    public let store: Store
    /// How many of the member's latest achievements a profile carries.
    public static let achievementsShown = 5

    public init(store: Store) { self.store = store }

    /// The profile of `rsn`, who must be an active member of the clan; the week is the 7 days up to `now`.
    /// A name that is not a member of this clan (unknown, or tracked only by another clan) is refused the same way,
    /// so nothing is told about other clans' members.
    public func profile(clanID: Int64, rsn: String, now: Date) async throws -> PlayerProfile {
        let name: RSN
        do { name = try RSN(rsn) } catch { throw ServiceError.invalidRequest("'\(rsn)' is not a RuneScape name: \(error)") }
        return try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            guard let account = try db.accounts.find(name), let member = try db.members.find(clanID: clanID, accountID: account.id) else {
                throw ServiceError.invalidRequest("\(name.display) is not a member of \(clan.name); check the spelling (autocomplete lists "
                                                  + "the members) or add them with /clan add")
            }
            guard member.isActive else {
                throw ServiceError.invalidRequest("\(account.displayName) has left \(clan.name); profiles are shown for current members")
            }
            let window = Timeframe.last7Days.window(at: now, timeZone: clan.zone)
            let lookup = try db.playerProfiles.lastLookup(accountID: account.id).map { found in
                HiscoresLookup(at: found.at, result: Self.result(errorKind: found.errorKind))
            }
            return PlayerProfile(
                member: member, latest: try db.snapshots.latest(accountID: account.id), snapshotCount: try db.snapshots.count(accountID: account.id),
                week: try db.playerProfiles.window(account: account, window: window), weekWindow: window,
                achievements: try db.achievements.recent(clanID: clanID, accountID: account.id, limit: Self.achievementsShown),
                achievementTotal: try db.achievements.count(clanID: clanID, accountID: account.id), lastLookup: lookup)
        }
    }

    static func result(errorKind: String?) -> HiscoresLookupResult {
        switch errorKind {
        case nil: .found
        case "not_found": .notOnHiscores
        case let kind: .failed(reason: Wording.batchFailure(kind))
        }
    }
}

extension ClanbotServices {
    /// Members' profiles (stateless over the store).
    public var profiles: PlayerProfileService { PlayerProfileService(store: store) }
}
