import Domain
import Foundation
import Storage

/// What the Discord bot needs beyond the other services: who a Discord user is in a clan (linked
/// accounts and their roles), role changes, one member's gains, a clan's overview, and the names
/// autocomplete offers. Reads are local (SQLite only), so autocomplete stays well within its deadline.
public struct BotDirectory: Sendable {
    public let store: Store
    private let clock: @Sendable () -> Date

    public init(store: Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    // MARK: - Roles and links

    /// The user's role in the clan from the account they linked (at most `member` while unverified).
    public func role(ofUser discordUserID: String, inClan clanID: Int64) async throws -> ClanRole? {
        try await store.read { db in try db.discordLinks.role(ofUser: discordUserID, inClan: clanID) }
    }

    /// What a link call did.
    public struct LinkResult: Sendable, Equatable {
        public var accountName: String
        public var role: ClanRole
        public var verified: Bool
        /// The Discord user whose unconfirmed claim on the account this confirmed link replaced.
        public var replacedClaimBy: String?
    }

    /// Links a Discord user to an active member's account of the clan. `verifiedBy` vouches for the
    /// link (an officer linking someone, or a server manager); without it the link grants `member` at most.
    ///
    /// One account has one link per server. A confirmed link replaces another user's unconfirmed claim on the
    /// account (so nobody can squat a name); a confirmed link of another user must be unlinked first.
    public func link(clanID: Int64, discordUserID: String, rsn: String, linkedBy: String, verifiedBy: String?) async throws -> LinkResult {
        let name = try Self.parse(rsn)
        let now = clock()
        return try await store.write { db in
            let clan = try db.clans.get(id: clanID)
            guard let account = try db.accounts.find(name),
                  let member = try db.members.find(clanID: clanID, accountID: account.id), member.isActive else {
                throw ServiceError.invalidRequest("\(name.display) is not a member of \(clan.name); an officer can add them with /clan add")
            }
            var replaced: String?
            if let holder = try db.discordLinks.find(guildID: clan.guildID, accountID: account.id), holder.discordUserID != discordUserID {
                if holder.verified {
                    throw ServiceError.invalidRequest(
                        "\(account.displayName) is already linked to <@\(holder.discordUserID)> (confirmed); a leader or officer unlinks it first "
                            + "with `/clan unlink user:@…`")
                }
                guard verifiedBy != nil else {
                    throw ServiceError.invalidRequest(
                        "\(account.displayName) is already claimed by someone else (not confirmed). If it is yours, a leader or officer links it "
                            + "to you with `/clan link rsn:\(account.displayName) user:@you`, which replaces that claim")
                }
                try db.discordLinks.unlink(guildID: clan.guildID, discordUserID: holder.discordUserID)
                replaced = holder.discordUserID
            }
            let link = try db.discordLinks.link(guildID: clan.guildID, discordUserID: discordUserID, accountID: account.id,
                                                linkedBy: linkedBy, verifiedBy: verifiedBy, now: now)
            return LinkResult(accountName: account.displayName, role: link.effectiveRole(accountRole: member.role), verified: link.verified,
                              replacedClaimBy: replaced)
        }
    }

    /// Removes the user's link in the clan's guild; returns the account name it pointed at.
    public func unlink(clanID: Int64, discordUserID: String) async throws -> String {
        try await store.write { db in
            let clan = try db.clans.get(id: clanID)
            guard let link = try db.discordLinks.find(guildID: clan.guildID, discordUserID: discordUserID) else {
                throw ServiceError.invalidRequest("<@\(discordUserID)> has no linked account in this server")
            }
            let name = try db.accounts.get(id: link.accountID).displayName
            try db.discordLinks.unlink(guildID: clan.guildID, discordUserID: discordUserID)
            return name
        }
    }

    /// The highest role the user's link gives them in any clan of the clan's server (a link is per server):
    /// what changing or removing their link would take away. Nil without a link that gives a role.
    public func highestRole(ofUser discordUserID: String, inServerOf clanID: Int64) async throws -> ClanRole? {
        try await store.read { db in
            let clan = try db.clans.get(id: clanID)
            return try db.clans.list(guildID: clan.guildID).compactMap { try db.discordLinks.role(ofUser: discordUserID, inClan: $0.id) }.max()
        }
    }

    /// The highest role the account called `rsn` holds in any clan of the clan's server (nil: none).
    public func highestRole(ofAccount rsn: String, inServerOf clanID: Int64) async throws -> ClanRole? {
        let name = try Self.parse(rsn)
        return try await store.read { db in
            let clan = try db.clans.get(id: clanID)
            guard let account = try db.accounts.find(name) else { return nil }
            return try db.clans.list(guildID: clan.guildID).compactMap { clan in
                try db.members.find(clanID: clan.id, accountID: account.id).flatMap { $0.isActive ? $0.role : nil }
            }.max()
        }
    }

    /// The role of the account called `rsn` in the clan (nil when it is not an active member).
    public func memberRole(clanID: Int64, rsn: String) async throws -> ClanRole? {
        let name = try Self.parse(rsn)
        return try await store.read { db in
            guard let account = try db.accounts.find(name), let member = try db.members.find(clanID: clanID, accountID: account.id),
                  member.isActive else { return nil }
            return member.role
        }
    }

    /// Changes a member's role.
    public func setRole(clanID: Int64, rsn: String, role: ClanRole) async throws -> ClanMember {
        let name = try Self.parse(rsn)
        return try await store.write { db in
            guard let account = try db.accounts.find(name), let member = try db.members.find(clanID: clanID, accountID: account.id),
                  member.isActive else {
                throw ServiceError.invalidRequest("\(name.display) is not a member of this clan")
            }
            return try db.members.setRole(clanID: clanID, accountID: account.id, role: role)
        }
    }

    // MARK: - Overview

    /// A clan at a glance: roster size by role, schedule, latest batch runs.
    public struct Overview: Sendable {
        public var clan: Clan
        public var members: [ClanMember]
        public var schedule: ClanSchedule?
        public var recentRuns: [BatchRun]
        public var lastSnapshotAt: Date?
    }

    public func overview(clanID: Int64) async throws -> Overview {
        try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            let members = try db.members.listActive(clanID: clanID)
            return Overview(clan: clan, members: members, schedule: try db.schedules.find(clanID: clanID),
                            recentRuns: try db.batchRuns.recent(clanID: clanID, limit: 5),
                            lastSnapshotAt: members.compactMap(\.account.lastSnapshotAt).max())
        }
    }

    // MARK: - One member's gains

    /// The member's window and delta over `timeframe` (delta nil without two snapshots in the window).
    public func gains(clanID: Int64, rsn: String, timeframe: Timeframe) async throws -> (window: TimeWindow, member: MemberWindow, delta: SnapshotDelta?) {
        let name = try Self.parse(rsn)
        let now = clock()
        return try await store.read { db in
            guard let clan = try db.clans.find(id: clanID) else { throw ServiceError.clanNotFound(id: clanID) }
            guard let account = try db.accounts.find(name), let member = try db.members.find(clanID: clanID, accountID: account.id),
                  member.isActive else {
                throw ServiceError.invalidRequest("\(name.display) is not a member of \(clan.name); check the spelling or add them with /clan add")
            }
            let window = timeframe.window(at: now, timeZone: clan.zone)
            let members = try db.memberWindows.fetch(clanID: clanID, window: window, rows: .all)
            guard let mine = members.first(where: { $0.accountID == account.id }) else {
                throw ServiceError.invalidRequest("\(account.displayName) has no snapshots yet")
            }
            return (window, mine, mine.delta())
        }
    }

    // MARK: - Names the hiscores use

    /// The name of a skill or activity as the stored snapshots spell it (matched without case), or nil when no
    /// snapshot holds it: lets the bot accept a boss newer than its built-in row list.
    public func storedRowName(_ row: MetricRow) async throws -> String? {
        try await store.read { db in
            do {
                return try db.memberWindows.resolve(row: row).name
            } catch is UnknownMetricRow {
                return nil
            }
        }
    }

    // MARK: - Autocomplete

    /// Active members' names in the clan starting with (then containing) `typed`, at most `limit`.
    public func memberNames(clanID: Int64, matching typed: String, limit: Int = 25) async throws -> [String] {
        let names = try await store.read { db in try db.members.listActive(clanID: clanID).map(\.account.displayName) }
        return Self.rank(names, typed: typed, limit: limit)
    }

    /// Recent batch job ids of the clan, newest first, with a label.
    public func recentJobs(clanID: Int64, limit: Int = 25) async throws -> [BatchRun] {
        try await store.read { db in try db.batchRuns.recent(clanID: clanID, limit: limit) }
    }

    /// Prefix matches first, then substring matches, each kept in the given order.
    public static func rank(_ names: [String], typed: String, limit: Int) -> [String] {
        let needle = typed.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return Array(names.prefix(limit)) }
        let lowered = names.map { ($0, $0.lowercased()) }
        let prefix = lowered.filter { $0.1.hasPrefix(needle) }.map(\.0)
        let inside = lowered.filter { !$0.1.hasPrefix(needle) && $0.1.contains(needle) }.map(\.0)
        return Array((prefix + inside).prefix(limit))
    }

    private static func parse(_ rsn: String) throws -> RSN {
        do { return try RSN(rsn) } catch { throw ServiceError.invalidRequest("\(error)") }
    }
}
