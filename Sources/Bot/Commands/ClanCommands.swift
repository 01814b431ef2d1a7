import Discord
import Domain
import Foundation
import Services

/// `/clan create|info|members|add|remove|rename|role|link|unlink`.
struct ClanCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    func run() async throws {
        switch request.path.dropFirst().first {
        case "create": try await create()
        case "info": try await info()
        case "members": try await members()
        case "add": try await add()
        case "remove": try await remove()
        case "rename": try await rename()
        case "role": try await changeRole()
        case "link": try await link()
        case "unlink": try await unlink()
        default: throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    private func create() async throws {
        guard request.hasManageServer else {
            throw BotFailure("⛔ Only members with the Manage Server permission can create a clan in this server.")
        }
        let name = try request.required("name")
        let clan = try await env.clans.create(guildID: try request.guildID, name: name, timeZone: request.string("timezone") ?? "UTC",
                                              createdBy: try request.userID)
        try await request.reply(ClanEmbeds.created(clan))
    }

    private func info() async throws {
        let clan = try await request.clan()
        try await request.deferReply()
        let overview = try await env.directory.overview(clanID: clan.id)
        // The week's figures are a bonus: a clan without snapshots still gets its overview.
        let stats = try? await env.services.stats.stats(clanID: clan.id, timeframe: .last7Days)
        try await request.reply(ClanEmbeds.overview(overview, stats: stats), components: ClanEmbeds.overviewButtons(clanID: clan.id))
    }

    private func members() async throws {
        let clan = try await request.clan()
        let members = try await env.clans.activeMembers(clanID: clan.id)
        let messages = ClanEmbeds.roster(clan: clan, members: members).messages()
        for embeds in messages { try await request.reply(MessagePayload(embeds: embeds)) }
    }

    private func add() async throws {
        let clan = try await request.clan()
        let role = try request.string("role").map { try ClanRole.parse($0) } ?? .member
        try await request.require(role == .leader ? .lead : .manage, role == .leader ? "add a leader" : "add members", in: clan)
        let rsn = try request.required("rsn")
        let result = try await env.clans.addMembers(clanID: clan.id, names: [rsn], role: role)
        if let already = result.alreadyMembers.first {
            throw BotFailure("**\(already)** is already a member of **\(clan.name)**. Use `/clan role` to change their role.")
        }
        let added = result.added.first?.account.displayName ?? rsn
        try await request.reply(EmbedBuilder(title: "✅ \(added) joined \(clan.name)",
                                             description: "Role: **\(role.rawValue)**. Their gains count from their first snapshot; run `/snapshot run` or wait for the schedule.",
                                             color: Palette.success).build())
    }

    private func remove() async throws {
        let clan = try await request.clan()
        let rsn = try request.required("rsn")
        let target = try await env.directory.memberRole(clanID: clan.id, rsn: rsn)
        try await request.require(target == .leader ? .lead : .manage, target == .leader ? "remove a leader" : "remove members", in: clan)
        guard target != nil else { throw BotFailure("**\(rsn)** is not a member of **\(clan.name)**.") }
        let member = try await env.clans.removeMember(clanID: clan.id, name: rsn)
        try await request.reply(EmbedBuilder(title: "👋 \(member.account.displayName) left \(clan.name)",
                                             description: "Their history stays for past stats and contests.", color: Palette.info).build())
    }

    /// Follows an in-game name change, so the member's history carries over instead of starting again. Only
    /// this server's roster and links change; renaming or merging a leader's account takes a leader.
    private func rename() async throws {
        let clan = try await request.clan()
        let oldName = try request.required("rsn"), newName = try request.required("new_name")
        let touched = [try await env.directory.highestRole(ofAccount: oldName, inServerOf: clan.id),
                       try await env.directory.highestRole(ofAccount: newName, inServerOf: clan.id)].compactMap { $0 }.max()
        try await request.require(touched == .leader ? .lead : .manage, touched == .leader ? "rename a leader's account" : "rename members", in: clan)
        let renamed = try await env.clans.renameMember(clanID: clan.id, from: oldName, to: newName)
        var lines = ["Their history carries over; the next snapshot asks the hiscores for the new name."]
        if renamed.historyKeptApart {
            lines = ["**\(renamed.account.displayName)** is also tracked by another server, so the history under **\(renamed.previousName)** "
                     + "stays there; gains count from **\(renamed.account.displayName)**'s own snapshots."]
        } else if renamed.movedSnapshots > 0, renamed.foldedAccountID != nil || renamed.splitFromSharedAccount {
            lines.append("\(Format.plural(renamed.movedSnapshots, "snapshot")) joined **\(renamed.account.displayName)**'s history.")
        }
        if !renamed.droppedLinks.isEmpty {
            let users = renamed.droppedLinks.map { "<@\($0)>" }.joined(separator: ", ")
            lines.append("Two accounts were merged, so their Discord links were removed: \(users) link again with `/clan link`, "
                         + "and a leader or officer confirms it.")
        }
        try await request.reply(EmbedBuilder(title: "✏️ \(renamed.previousName) is now \(renamed.account.displayName)",
                                             description: lines.joined(separator: "\n"), color: Palette.success).build())
    }

    private func changeRole() async throws {
        let clan = try await request.clan()
        let rsn = try request.required("rsn")
        let role = try ClanRole.parse(try request.required("role"))
        let current = try await env.directory.memberRole(clanID: clan.id, rsn: rsn)
        let touchesLeader = role == .leader || current == .leader
        try await request.require(touchesLeader ? .lead : .manage, touchesLeader ? "appoint or demote a leader" : "change roles", in: clan)
        let member = try await env.directory.setRole(clanID: clan.id, rsn: rsn, role: role)
        try await request.reply(EmbedBuilder(title: "🎖️ \(member.account.displayName) is now \(role.article) \(role.rawValue)",
                                             description: "in **\(clan.name)**", color: Palette.success).build())
    }

    /// Claims an account. Officers link someone else with the `user` option, which verifies the link;
    /// a self-made link counts as `member` until then (anyone can type any name).
    private func link() async throws {
        let clan = try await request.clan()
        let rsn = try request.required("rsn")
        let me = try request.userID
        var target = me
        var verifiedBy: String? = request.hasManageServer ? me : nil
        if let other = request.command?.snowflake("user"), String(describing: other) != me {
            let myRole = try await request.require(.manage, "link accounts for other members", in: clan)
            let accountRole = try await env.directory.memberRole(clanID: clan.id, rsn: rsn)
            if let accountRole, accountRole > myRole {
                throw BotFailure("⛔ **\(rsn)** is a \(accountRole.rawValue); only someone of that rank or above can verify a link to it.")
            }
            // Relinking someone replaces their link: it must not take away a role above the caller's own.
            try await requireReach(over: String(describing: other), myRole: myRole, clan: clan, action: "change their link")
            target = String(describing: other)
            verifiedBy = me
        }
        let result = try await env.directory.link(clanID: clan.id, discordUserID: target, rsn: rsn, linkedBy: me, verifiedBy: verifiedBy)
        let who = target == me ? "You are" : "<@\(target)> is"
        var text = "\(who) linked to **\(result.accountName)** in **\(clan.name)** as \(result.role.article) **\(result.role.rawValue)**"
        if result.verified {
            text += "."
            if let squatter = result.replacedClaimBy { text += " The unconfirmed claim of <@\(squatter)> on it was removed." }
        } else {
            // Say what the account's own role is, and who can vouch for it (someone of that rank or above).
            let accountRole = try await env.directory.memberRole(clanID: clan.id, rsn: result.accountName) ?? .member
            let verifier = accountRole == .leader ? "A leader" : "A leader or officer"
            text += " for now: the link is not verified yet."
            if accountRole > .member {
                text += " **\(result.accountName)** is \(accountRole.article) \(accountRole.rawValue); the link counts as one once it is verified."
            }
            text += "\n\(verifier) verifies it by linking it for you: `/clan link rsn:\(result.accountName) user:@you`."
        }
        try await request.reply(EmbedBuilder(title: "🔗 Account linked", description: text, color: Palette.success).build(), ephemeral: target == me)
    }

    /// Removes your own link, or with `user` (leaders and officers) someone else's, within the caller's reach.
    private func unlink() async throws {
        let clan = try await request.clan()
        let me = try request.userID
        guard let other = request.command?.snowflake("user").map({ String(describing: $0) }), other != me else {
            let name = try await env.directory.unlink(clanID: clan.id, discordUserID: me)
            try await request.reply(EmbedBuilder(title: "Unlinked", description: "You are no longer linked to **\(name)**.", color: Palette.info).build(),
                                    ephemeral: true)
            return
        }
        let myRole = try await request.require(.manage, "unlink other members", in: clan)
        try await requireReach(over: other, myRole: myRole, clan: clan, action: "unlink them")
        let name = try await env.directory.unlink(clanID: clan.id, discordUserID: other)
        try await request.reply(EmbedBuilder(title: "Unlinked", description: "<@\(other)> is no longer linked to **\(name)**; they can link again with `/clan link`.",
                                             color: Palette.info).build())
    }

    /// Refuses when `user`'s link gives them a role above `myRole` somewhere in this server.
    private func requireReach(over user: String, myRole: ClanRole, clan: Clan, action: String) async throws {
        if let theirs = try await env.directory.highestRole(ofUser: user, inServerOf: clan.id), theirs > myRole {
            throw BotFailure("⛔ <@\(user)> is linked as \(theirs.article) \(theirs.rawValue); only someone of that rank or above can \(action).")
        }
    }
}
