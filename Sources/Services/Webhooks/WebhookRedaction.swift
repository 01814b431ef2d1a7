import Foundation

/// Keeps a webhook's secrets out of the error text that `/webhook list` and `/webhook test` show: a
/// receiver may echo the request path (a Discord webhook's token, a Slack key) or the signing secret back.
enum WebhookRedaction {
    static func redact(_ text: String, for target: WebhookTarget) -> String {
        var secrets: [String] = [target.url]
        if let components = URLComponents(string: target.url) {
            if components.path.count > 1 { secrets.append(components.path) }
            if let query = components.query, !query.isEmpty { secrets.append(query) }
            // Each segment long enough to be a token or an id, also when echoed on its own.
            secrets += components.path.split(separator: "/").map(String.init).filter { $0.count >= 6 }
        }
        if let secret = target.secret {
            secrets.append(String(decoding: secret, as: UTF8.self))
            secrets.append(secret.map { String(format: "%02x", $0) }.joined())
        }
        var result = text
        for secret in secrets.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: secret, with: "…")
        }
        return result
    }
}
