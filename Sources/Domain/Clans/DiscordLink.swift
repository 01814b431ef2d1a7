import Foundation

/// A Discord user's claim to an OSRS account inside one guild.
///
/// Anyone can type any name, so an unverified link proves nothing: it grants at most the `member`
/// role. A leader or officer (or the guild's admins, as the bot decides) verifies it.
public struct DiscordLink: Sendable, Hashable, Codable {
    public var guildID: String
    public var discordUserID: String
    public var accountID: Int64
    public var linkedAt: Date
    public var linkedBy: String?
    public var verified: Bool
    public var verifiedBy: String?
    public var verifiedAt: Date?

    public init(
        guildID: String, discordUserID: String, accountID: Int64, linkedAt: Date, linkedBy: String? = nil,
        verified: Bool = false, verifiedBy: String? = nil, verifiedAt: Date? = nil
    ) {
        self.guildID = guildID
        self.discordUserID = discordUserID
        self.accountID = accountID
        self.linkedAt = linkedAt
        self.linkedBy = linkedBy
        self.verified = verified
        self.verifiedBy = verifiedBy
        self.verifiedAt = verifiedAt
    }

    /// The role this link grants, given the linked account's role in a clan.
    public func effectiveRole(accountRole: ClanRole) -> ClanRole {
        verified ? accountRole : min(accountRole, .member)
    }
}
