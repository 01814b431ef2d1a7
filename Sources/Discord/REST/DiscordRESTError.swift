import Foundation

/// Discord's JSON error body: `{"code": 50035, "message": "Invalid Form Body", "errors": {…}}`.
public struct DiscordErrorBody: Decodable, Sendable, Equatable {
    public var code: Int
    public var message: String
    public var errors: JSONValue?

    /// Each nested `_errors` entry as "path: message", e.g. "embeds.0.description: Must be 4096 or fewer in length."
    public var fieldErrors: [String] {
        var lines: [String] = []
        func walk(_ value: JSONValue, _ path: [String]) {
            guard case .object(let object) = value else { return }
            for key in object.keys.sorted() {
                guard let child = object[key] else { continue }
                if key == "_errors", case .array(let entries) = child {
                    for entry in entries {
                        let message = entry["message"]?.stringValue ?? entry["code"]?.stringValue ?? "invalid"
                        lines.append((path.isEmpty ? "" : path.joined(separator: ".") + ": ") + message)
                    }
                } else {
                    walk(child, path + [key])
                }
            }
        }
        if let errors { walk(errors, []) }
        return lines
    }
}

public enum DiscordRESTError: Error, Equatable, CustomStringConvertible {
    /// Discord answered 4xx with its error body (when it sent one).
    case api(route: String, status: Int, body: DiscordErrorBody?)
    /// Still rate limited after the retries allowed, or asked to wait longer than we will.
    case rateLimited(route: String, retryAfter: Double, global: Bool)
    /// 5xx after every retry.
    case server(route: String, status: Int)
    /// The request never got an HTTP answer.
    case transport(route: String, message: String)
    /// The invalid-request guard refused to send.
    case refused(route: String, message: String)
    case encoding(route: String, message: String)
    case decoding(route: String, message: String)

    public var description: String {
        switch self {
        case .api(let route, let status, let body):
            guard let body else { return "Discord answered \(status) to \(route)" }
            let details = body.fieldErrors
            return "Discord answered \(status) to \(route): \(body.message) (code \(body.code))"
                + (details.isEmpty ? "" : "; " + details.joined(separator: "; "))
        case .rateLimited(let route, let retryAfter, let global):
            return "Discord is rate limiting \(global ? "all requests" : route); retry after \(GatewayStatus.seconds(.milliseconds(Int(retryAfter * 1000))))"
        case .server(let route, let status):
            return "Discord failed with \(status) on \(route) after several tries; it is probably having an outage, try again later"
        case .transport(let route, let message):
            return "could not reach Discord for \(route): \(message)"
        case .refused(_, let message):
            return message
        case .encoding(let route, let message):
            return "could not encode the body for \(route): \(message)"
        case .decoding(let route, let message):
            return "could not read Discord's answer to \(route): \(message)"
        }
    }

    /// Discord's JSON error code, if it sent one (e.g. 10062 Unknown interaction).
    var discordCode: Int? {
        if case .api(_, _, let body) = self { return body?.code }
        return nil
    }
}
