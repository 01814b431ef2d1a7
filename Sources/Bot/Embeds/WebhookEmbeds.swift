import Discord
import Domain
import Foundation
import Services

/// The clan's webhooks: one just added (with its signing secret, shown once), a test post's outcome, the list.
enum WebhookEmbeds {
    static func added(_ added: WebhookService.Added, provider: WebhookProviderKind) -> Embed {
        var builder = EmbedBuilder(title: "🪝 Webhook #\(added.webhook.id) added", color: Palette.success)
        builder.addField("URL", added.webhook.maskedURL, inline: true)
        builder.addField("Provider", provider.rawValue, inline: true)
        builder.addField("Events", added.webhook.events.map { "`\($0.rawValue)`" }.joined(separator: ", "))
        if let secret = added.signingSecret {
            builder.addField("Signing secret (shown once)", "`\(secret)`\nCheck `\(WebhookSignature.signatureHeader)` (HMAC-SHA256 over `\(WebhookSignature.timestampHeader)` and the body) with it.")
        }
        builder.footer = "Send a test post with /webhook test id:\(added.webhook.id)"
        return builder.build()
    }

    static func tested(id: Int64, result: WebhookDeliveryResult) -> Embed {
        let status = result.statusCode.map { "HTTP \($0)" } ?? "no answer"
        return result.succeeded
            ? EmbedBuilder(title: "✅ Webhook #\(id) works", description: "\(status) after \(Format.plural(result.attempts, "attempt")).", color: Palette.success).build()
            : EmbedBuilder(title: "❌ Webhook #\(id) failed", description: "\(status) after \(Format.plural(result.attempts, "attempt")): \(result.error ?? "unexpected status")",
                           color: Palette.failure).build()
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
