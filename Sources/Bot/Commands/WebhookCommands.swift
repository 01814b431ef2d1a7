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
            var builder = EmbedBuilder(title: "🪝 Webhook #\(added.webhook.id) added", color: Palette.success)
            builder.addField("URL", added.webhook.maskedURL, inline: true)
            builder.addField("Provider", provider.rawValue, inline: true)
            builder.addField("Events", added.webhook.events.map { "`\($0.rawValue)`" }.joined(separator: ", "))
            if let secret = added.signingSecret {
                builder.addField("Signing secret (shown once)", "`\(secret)`\nCheck `\(WebhookSignature.signatureHeader)` (HMAC-SHA256 over `\(WebhookSignature.timestampHeader)` and the body) with it.")
            }
            builder.footer = "Send a test post with /webhook test id:\(added.webhook.id)"
            try await request.reply(builder.build(), ephemeral: true)
        case "list":
            let list = try await webhooks.list(clanID: clan.id)
            try await request.reply(Self.listing(list, clan: clan), ephemeral: true)
        case "remove":
            let id = try webhookID()
            try await webhooks.remove(id: id, clanID: clan.id)
            try await request.reply(EmbedBuilder(title: "🗑️ Webhook #\(id) removed", color: Palette.info).build(), ephemeral: true)
        case "test":
            let id = try webhookID()
            try await request.deferReply(ephemeral: true)
            let outcome = try await webhooks.sendTest(id: id, clanID: clan.id, clanName: clan.name)
            let result = outcome.result
            let status = result.statusCode.map { "HTTP \($0)" } ?? "no answer"
            let embed = result.succeeded
                ? EmbedBuilder(title: "✅ Webhook #\(id) works", description: "\(status) after \(Format.plural(result.attempts, "attempt")).", color: Palette.success).build()
                : EmbedBuilder(title: "❌ Webhook #\(id) failed", description: "\(status) after \(Format.plural(result.attempts, "attempt")): \(result.error ?? "unexpected status")",
                               color: Palette.failure).build()
            try await request.reply(embed, ephemeral: true)
        default:
            throw BotFailure("Unknown subcommand \(request.commandName).")
        }
    }

    private func webhookID() throws -> Int64 {
        guard let id = request.integer("id") else { throw BotFailure("`id` is required: `/webhook list` shows the ids.") }
        return id
    }

    static func listing(_ list: [WebhookService.Listing], clan: Clan) -> Embed {
        var builder = EmbedBuilder(title: "🪝 Webhooks of \(clan.name)", color: Palette.info)
        if list.isEmpty { builder.description = "None yet. Add one with `/webhook add`." }
        for hook in list {
            var lines = ["\(hook.provider.rawValue) · \(hook.maskedURL)" + (hook.enabled ? "" : " · disabled"),
                         hook.events.map(\.rawValue).joined(separator: ", ")]
            if let at = hook.lastDeliveryAt {
                let outcome = hook.lastError.map { "❌ \($0)" } ?? hook.lastStatusCode.map { "✅ HTTP \($0)" } ?? "–"
                lines.append("last delivery \(Format.timestamp(at)): \(outcome)")
            } else {
                lines.append("no delivery yet")
            }
            builder.addField("#\(hook.id)", lines.joined(separator: "\n"))
        }
        return builder.build()
    }
}
