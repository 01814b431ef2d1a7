import Discord
import Domain
import Foundation
import Services

/// One slash command, autocomplete request or button press as the handlers see it: typed options,
/// the invoker, the clan it concerns, permission checks, and the responder to answer with.
struct CommandRequest: Sendable {
    let interaction: Interaction
    let responder: InteractionResponder
    let env: BotEnvironment
    /// Clans where the invoker passed an officer's check: told after the reply about a refused announcements channel.
    let officerClans = OfficerClans()

    var command: ApplicationCommandData? { interaction.command }
    var path: [String] { command?.path ?? [] }
    var commandName: String { "/" + path.joined(separator: " ") }

    func string(_ name: String) -> String? {
        guard let text = command?.string(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// A comma list option, "Slayer, Fishing,,": its entries, trimmed, empty ones dropped ([] when not given).
    func list(_ name: String) -> [String] { Self.commaSeparated(string(name) ?? "") }

    /// "a, b,, c" → ["a", "b", "c"]: how every comma list a user types is read (autocomplete reads the one being
    /// typed with `Autocomplete.commaParts`).
    static func commaSeparated(_ text: some StringProtocol) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func integer(_ name: String) -> Int64? { command?.integer(name) }
    func boolean(_ name: String) -> Bool? { command?.boolean(name) }

    func required(_ name: String) throws -> String {
        guard let value = string(name) else { throw BotFailure("`\(name)` is required for \(commandName).") }
        return value
    }

    var guildID: String {
        get throws {
            guard let guild = interaction.guildID else { throw BotFailure.guildOnly }
            return String(describing: guild)
        }
    }

    var userID: String {
        get throws {
            guard let user = interaction.invoker else { throw BotFailure("Discord did not say who ran this command.") }
            return String(describing: user.id)
        }
    }

    var hasManageServer: Bool { interaction.member?.permissions?.allows(.manageGuild) == true }

    // MARK: - The clan

    /// The clan named by the `clan` option, or the server's only clan.
    /// The clan a button or a stored record names by its id; only this server's.
    func clan(id: Int64) async throws -> Clan {
        do {
            return try await env.clans.clan(id: id, guildID: try guildID)
        } catch ServiceError.clanNotFound {
            throw BotFailure("There is no clan called **#\(id)** in this server. `/clan info` without a name shows the server's clan; autocomplete lists them all.")
        }
    }

    func clan(named text: String? = nil) async throws -> Clan {
        let guild = try guildID
        if let wanted = text ?? string("clan") {
            do {
                return try await env.clans.find(wanted, guildID: guild)
            } catch ServiceError.clanNotFound {
                throw BotFailure("There is no clan called **\(wanted)** in this server. `/clan info` without a name shows the server's clan; autocomplete lists them all.")
            }
        }
        let clans = try await env.clans.list(guildID: guild)
        switch clans.count {
        case 0:
            throw BotFailure("This server has no clan yet. Someone with the Manage Server permission can create one with `/clan create`.")
        case 1:
            return clans[0]
        default:
            let names = clans.prefix(10).map { "**\($0.name)** (`\($0.slug)`)" }.joined(separator: ", ")
            throw BotFailure("This server has \(clans.count) clans (\(names)). Pick one with the `clan` option.")
        }
    }

    // MARK: - Permissions

    /// The invoker's role in `clan` (Manage Server counts as leader).
    func role(in clan: Clan) async throws -> ClanRole? {
        try await RoleResolver(directory: env.directory).role(of: interaction, in: clan)
    }

    /// Throws the refusal unless the invoker may do `action` in `clan`. Returns their role.
    @discardableResult
    func require(_ access: Access, _ action: String, in clan: Clan) async throws -> ClanRole {
        let role = try await role(in: clan)
        guard let role, role >= access.minimum else {
            throw BotFailure(access.refusal(action: action, clan: clan, actual: role))
        }
        officerClans.note(clan)
        return role
    }

    // MARK: - Answering

    func reply(_ embed: Embed, components: [ActionRow]? = nil, ephemeral: Bool = false) async throws {
        try await responder.reply(MessagePayload(embeds: [embed], components: components, ephemeral: ephemeral))
    }

    func reply(_ message: MessagePayload) async throws { try await responder.reply(message) }

    /// "clanbot is thinking…" for anything that may take more than a moment.
    func deferReply(ephemeral: Bool = false) async throws { try await responder.deferReply(ephemeral: ephemeral) }
}
