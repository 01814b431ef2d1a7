import Discord
import Domain
import Foundation
import Services

/// `/webhook add|list|remove|test`: the clan's webhooks. Leaders and officers only; the URL is a secret,
/// so answers are private and never show it in full after it was added.
struct WebhookCommands {
    let request: CommandRequest
    var env: BotEnvironment { request.env }

    func run() async throws {
        let clan = try await request.clan()
        try await request.require(.manage, "manage webhooks", in: clan)
        let webhooks = env.webhooks
        switch request.path.dropFirst().first {
        case "add":
            // The URL carries the secret: delete nothing the user typed, but answer privately.
            let url = try request.required("url")
            let providerText = try request.required("provider")
            guard let provider = WebhookProviderKind(rawValue: providerText.lowercased()) else {
                throw BotFailure("Unknown provider `\(providerText)`; use discord, slack or custom.")
            }
            let added = try await webhooks.add(clanID: clan.id, url: url, provider: provider, events: request.string("events") ?? "")
            try await request.reply(WebhookEmbeds.added(added, provider: provider), ephemeral: true)
        case "list":
            let list = try await webhooks.list(clanID: clan.id)
            try await request.reply(WebhookEmbeds.listing(list, clan: clan), ephemeral: true)
        case "remove":
            let id = try webhookID()
            try await webhooks.remove(id: id, clanID: clan.id)
            try await request.reply(EmbedBuilder(title: "🗑️ Webhook #\(id) removed", color: Palette.info).build(), ephemeral: true)
        case "test":
            let id = try webhookID()
            try await request.deferReply(ephemeral: true)
            let outcome = try await webhooks.sendTest(id: id, clanID: clan.id, clanName: clan.name)
            try await request.reply(WebhookEmbeds.tested(id: id, result: outcome.result), ephemeral: true)
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    private func webhookID() throws -> Int64 {
        guard let id = request.integer("id") else { throw BotFailure("`id` is required: `/webhook list` shows the ids.") }
        return id
    }
}
