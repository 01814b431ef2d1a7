import Foundation

/// Where a webhook posts: the body each provider expects.
public enum WebhookProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    case discord
    case slack
    case custom
}

/// Renders a `WebhookMessage` into the JSON body each provider expects.
public enum WebhookRenderer {
    public static func body(for message: WebhookMessage, provider: WebhookProviderKind) -> [UInt8] {
        let object: [String: Any] =
            switch provider {
            case .discord: discord(message)
            case .slack: slack(message)
            case .custom: custom(message)
            }
        // Only strings, numbers, booleans, arrays and dictionaries go in, so serialisation cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// A Discord execute-webhook body: one embed, within Discord's limits (6000 characters in all).
    static func discord(_ message: WebhookMessage) -> [String: Any] {
        let footer = clip("\(message.clanName) · \(message.event.rawValue)", 2048)
        let title = clip(message.title, 256)
        let description = clip(message.description, min(4096, 6000 - footer.count - title.count))
        var used = footer.count + title.count + description.count
        var fields: [[String: Any]] = []
        for field in message.fields.prefix(25) {
            let name = clip(field.name, 256)
            let value = clip(field.time.map(discordTime) ?? (field.value.isEmpty ? "—" : field.value), 1024)
            // Fields that no longer fit are left out rather than risk Discord rejecting the whole post.
            guard used + name.count + value.count <= 6000 else { break }
            used += name.count + value.count
            fields.append(["name": name, "value": value, "inline": field.inline])
        }
        let embed: [String: Any] = [
            "title": title,
            "description": description,
            "timestamp": iso8601(message.occurredAt),
            "color": color(for: message.event),
            "footer": ["text": footer],
            "fields": fields,
        ]
        return ["username": "clanbot", "embeds": [embed], "allowed_mentions": ["parse": [String]()]]
    }

    /// `text` cut to `limit` characters, ending in "…" when cut.
    static func clip(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        guard limit > 1 else { return String(text.prefix(max(0, limit))) }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// A Slack incoming-webhook body: a header block, a section, and the fields. Every text that came from
    /// people (contest names, prizes, clan names…) is escaped, so `<!channel>` or `<@U…>` reads as text
    /// instead of notifying anyone; only the date tokens clanbot writes itself stay markup.
    static func slack(_ message: WebhookMessage) -> [String: Any] {
        let title = slackEscaped(message.title), description = slackEscaped(message.description)
        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": clipEscaped(title, 150)]],
            ["type": "section", "text": ["type": "mrkdwn", "text": clipEscaped(description, 3000)]],
        ]
        // Slack allows at most 10 fields per section, 2000 characters each.
        for chunk in stride(from: 0, to: min(message.fields.count, 40), by: 10) {
            let fields = message.fields[chunk..<min(chunk + 10, message.fields.count)].map { field in
                let value = field.time.map(slackTime) ?? slackEscaped(field.value)
                return ["type": "mrkdwn", "text": clipEscaped("*\(slackEscaped(field.name))*\n\(value)", 2000)]
            }
            blocks.append(["type": "section", "fields": fields])
        }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": "\(slackEscaped(message.clanName)) · \(message.event.rawValue)"]]])
        return ["text": "\(title): \(description)", "blocks": blocks]
    }

    /// `text` with Slack's three control characters written as entities (`&` first, so nothing is escaped twice).
    static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// At most `limit` characters of escaped text, never cutting an entity in half.
    static func clipEscaped(_ text: String, _ limit: Int) -> String {
        var clipped = String(text.prefix(limit))
        if let amp = clipped.lastIndex(of: "&"), !clipped[amp...].contains(";") { clipped = String(clipped[..<amp]) }
        return clipped
    }

    /// The custom body: a flat, documented JSON object.
    static func custom(_ message: WebhookMessage) -> [String: Any] {
        [
            "event": message.event.rawValue,
            "clan": message.clanName,
            "occurred_at": iso8601(message.occurredAt),
            "title": message.title,
            "description": message.description,
            "fields": message.fields.map { ["name": $0.name, "value": $0.value] },
            "data": message.data,
        ]
    }

    static func color(for event: WebhookEvent) -> Int {
        switch event {
        case .snapshotFailed, .scheduleFailed: 0xE74C3C
        case .contestDrawn: 0xF1C40F
        case .contestActivated, .contestEnded: 0x3498DB
        case .snapshotFinished: 0x2ECC71
        }
    }

    /// Discord's timestamp markup: the full date and time, then "in 3 days", in the reader's time zone.
    static func discordTime(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return "<t:\(seconds):F> (<t:\(seconds):R>)"
    }

    /// Slack's date formatting token, with the ISO time as the fallback for clients that cannot show it.
    static func slackTime(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return "<!date^\(seconds)^{date_short_pretty} {time}|\(iso8601(date))>"
    }

    static func iso8601(_ date: Date) -> String {
        ISO8601Time.string(date)
    }
}
