import Discord
import Domain

/// What an action needs. Reading is open to everyone in the server; managing needs a leader or officer;
/// drawing (and cancelling) a contest is the leader's alone.
enum Access: Sendable {
    case manage
    case lead

    var minimum: ClanRole {
        switch self {
        case .manage: .officer
        case .lead: .leader
        }
    }

    /// The refusal, saying who may do it and how to get there.
    func refusal(action: String, clan: Clan, actual: ClanRole?) -> String {
        let who = switch self {
        case .manage: "leaders and officers of **\(clan.name)**"
        case .lead: "a leader of **\(clan.name)**"
        }
        // Advice on linking only helps those whose link is missing or (perhaps) unverified.
        let you = switch actual {
        case nil:
            "you have no linked account in this clan. Link yours with `/clan link`; a leader or officer verifies it by linking it for you."
        case .member?:
            "you are linked as a member. If your account holds a higher role, a leader or officer verifies your link by linking it for you "
                + "(`/clan link rsn:… user:@you`)."
        case let role?:
            "you are linked as \(role.article) \(role.rawValue)."
        }
        return "⛔ Only \(who) (or members with the Manage Server permission) can \(action); \(you)"
    }
}

/// The invoker's role in a clan: Manage Server counts as leader; otherwise the role of the account they
/// linked, at most `member` while the link is unverified.
struct RoleResolver: Sendable {
    let directory: BotDirectoryReading

    func role(of interaction: Interaction, in clan: Clan) async throws -> ClanRole? {
        if interaction.member?.permissions?.allows(.manageGuild) == true { return .leader }
        guard let user = interaction.invoker else { return nil }
        return try await directory.role(ofUser: String(describing: user.id), inClan: clan.id)
    }
}

/// The one read the permission check needs, so tests of the rules need no database.
protocol BotDirectoryReading: Sendable {
    func role(ofUser discordUserID: String, inClan clanID: Int64) async throws -> ClanRole?
}

extension ClanRole {
    /// "a" or "an", for sentences such as "as an officer".
    var article: String { self == .officer ? "an" : "a" }
}
