import Domain
import Foundation
import Storage

/// Clans and their rosters, for the operator commands and the bot: create a clan, add and remove
/// members by RSN, find a clan by what a person typed.
public struct ClanService: Sendable {
    public let store: Store
    private let clock: @Sendable () -> Date
    /// Told `.activity` after members join, leave or are renamed (recorded in `clan_activity` with the change).
    private let events: ClanEvents

    public init(store: Store, clock: @escaping @Sendable () -> Date = { Date() }, events: ClanEvents = .unobserved) {
        self.store = store
        self.clock = clock
        self.events = events
    }

    /// Creates a clan in `guildID`. The time zone must be an IANA name (schedules and month-to-date use it).
    public func create(guildID: String, name: String, slug: String? = nil, timeZone: String = "UTC",
                       mode: SnapshotMode = .auto, createdBy: String? = nil) async throws -> Clan {
        guard TimeZone(identifier: timeZone) != nil else {
            throw ServiceError.invalidRequest("unknown time zone '\(timeZone)'; use an IANA name such as Europe/London or America/New_York")
        }
        let now = clock()
        return try await store.write { db in
            try db.clans.create(guildID: guildID, name: name, slug: slug, timeZone: timeZone, defaultSnapshotMode: mode,
                                createdBy: createdBy, now: now)
        }
    }

    /// The clan a person means by `text`: its id ("#12" or "12"), its slug, or its name (any case).
    /// Inside a guild only that guild's clans are considered.
    public func find(_ text: String, guildID: String? = nil) async throws -> Clan {
        let wanted = text.trimmingCharacters(in: .whitespaces)
        let clans = try await store.read { db in
            if let guildID { return try db.clans.list(guildID: guildID) }
            return try db.clans.all()
        }
        let id = Int64(wanted.hasPrefix("#") ? String(wanted.dropFirst()) : wanted)
        var matches = clans.filter { $0.id == id }
        if matches.isEmpty { matches = clans.filter { $0.slug == wanted.lowercased() } }
        if matches.isEmpty { matches = clans.filter { $0.name.caseInsensitiveCompare(wanted) == .orderedSame } }
        guard let first = matches.first else { throw ServiceError.clanNotFound(wanted) }
        guard matches.count == 1 else {
            throw ServiceError.ambiguousClan(wanted, candidates: matches.map { "#\($0.id) \($0.slug) in guild \($0.guildID)" })
        }
        return first
    }

    /// The clan with this id; with a guild, only if it is that guild's.
    public func clan(id: Int64, guildID: String? = nil) async throws -> Clan {
        let clan = try await store.read { db in try db.clans.find(id: id) }
        guard let clan, guildID == nil || clan.guildID == guildID else { throw ServiceError.clanNotFound(id: id) }
        return clan
    }

    public func list(guildID: String? = nil) async throws -> [Clan] {
        try await store.read { db in
            if let guildID { return try db.clans.list(guildID: guildID) }
            return try db.clans.all()
        }
    }

    /// Adds each RSN as a member (the account is created when new). Names already in the clan are
    /// reported, not failed; a bad name fails before anything is written.
    public func addMembers(clanID: Int64, names: [String], role: ClanRole = .member) async throws -> (added: [ClanMember], alreadyMembers: [String]) {
        var parsed: [RSN] = []
        for name in names {
            do { parsed.append(try RSN(name)) } catch { throw ServiceError.invalidRequest("\(error)") }  // the error names the name
        }
        let rsns = parsed
        let now = clock()
        let result = try await store.write { db in
            guard try db.clans.find(id: clanID) != nil else { throw ServiceError.clanNotFound(id: clanID) }
            var added: [ClanMember] = []
            var already: [String] = []
            for rsn in rsns {
                let account = try db.accounts.findOrCreate(rsn, now: now)
                if let existing = try db.members.find(clanID: clanID, accountID: account.id), existing.isActive {
                    already.append(account.displayName)
                    continue
                }
                // A former member is welcomed back by the same call.
                let member = try db.members.add(clanID: clanID, accountID: account.id, role: role, now: now)
                try db.activity.record(clanID: clanID, kind: .memberJoined, accountID: account.id, name: account.displayName, occurredAt: now)
                added.append(member)
            }
            try db.aggregateCache.invalidate(clanID: clanID)
            return (added, already)
        }
        if !result.0.isEmpty { await events.post(.activity(clanID: clanID)) }
        return result
    }

    /// Marks a member as having left (history stays for past stats).
    public func removeMember(clanID: Int64, name: String) async throws -> ClanMember {
        let rsn: RSN
        do { rsn = try RSN(name) } catch { throw ServiceError.invalidRequest("\(error)") }  // the error names the name
        let now = clock()
        let member = try await store.write { db in
            guard let account = try db.accounts.find(rsn) else { throw ServiceError.invalidRequest("\(rsn.display) is not a member of this clan") }
            let member = try db.members.remove(clanID: clanID, accountID: account.id, now: now)
            try db.activity.record(clanID: clanID, kind: .memberLeft, accountID: account.id, name: account.displayName, occurredAt: now)
            try db.aggregateCache.invalidate(clanID: clanID)
            return member
        }
        await events.post(.activity(clanID: clanID))
        return member
    }

    /// Follows a member's in-game name change in the clan's server: the member takes the new name and keeps
    /// their history. Only what belongs to that server changes (see `AccountRepository.rename`): other servers
    /// tracking either name see nothing move, and a merge into a name already tracked drops the server's
    /// Discord links to both, to be confirmed again. `oldName` must be a member of the clan, current or former.
    public func renameMember(clanID: Int64, from oldName: String, to newName: String) async throws -> AccountRename {
        let old: RSN, new: RSN
        do {
            old = try RSN(oldName)
            new = try RSN(newName)
        } catch {
            throw ServiceError.invalidRequest("\(error)")  // the error names the name
        }
        let now = clock()
        let (renamed, announced) = try await store.write { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            guard let account = try db.accounts.find(old), try db.members.find(clanID: clanID, accountID: account.id) != nil else {
                throw ServiceError.invalidRequest("\(old.display) is not a member of \(clan.name); check the old name's spelling")
            }
            let renamed = try db.accounts.rename(accountID: account.id, to: new, inGuild: clan.guildID, now: now)
            var announced: [Int64] = []
            for clanID in renamed.clanIDs {
                try db.aggregateCache.invalidate(clanID: clanID)
                // Each of the server's clans the player is in hears of it; retyping the same name is no news.
                guard renamed.previousName != renamed.account.displayName,
                      try db.members.find(clanID: clanID, accountID: renamed.account.id)?.isActive == true else { continue }
                try db.activity.record(clanID: clanID, kind: .memberRenamed, accountID: renamed.account.id, name: renamed.account.displayName,
                                       previousName: renamed.previousName, occurredAt: now)
                announced.append(clanID)
            }
            return (renamed, announced)
        }
        for clanID in announced { await events.post(.activity(clanID: clanID)) }
        return renamed
    }

    public func activeMembers(clanID: Int64) async throws -> [ClanMember] {
        try await store.read { db in try db.members.listActive(clanID: clanID) }
    }
}
