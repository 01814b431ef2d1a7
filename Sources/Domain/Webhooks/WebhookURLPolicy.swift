import Foundation

/// Which webhook URLs clanbot accepts, and how it shows them once stored.
/// A webhook URL is a secret (whoever has a Discord or Slack webhook URL can post as it),
/// so after it is added only a masked form is ever shown.
public struct WebhookURLPolicy: Sendable {
    /// Plain http to 127.0.0.1/localhost/::1 is accepted only when this is set (local tests, a relay on the same host).
    public var allowLoopbackHTTP: Bool

    public init(allowLoopbackHTTP: Bool = false) {
        self.allowLoopbackHTTP = allowLoopbackHTTP
    }

    public struct Rejection: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Returns the URL when it is acceptable, or says why not.
    public func validate(_ text: String) throws(Rejection) -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, let url = components.url
        else {
            throw Rejection(description: "that is not a URL; paste the whole webhook address, starting with https://")
        }
        guard components.user == nil, components.password == nil else {
            throw Rejection(description: "webhook URLs with a user name or password in them are not accepted")
        }
        switch scheme {
        case "https":
            return url
        case "http" where allowLoopbackHTTP && Self.isLoopback(host):
            return url
        default:
            throw Rejection(description: "only https:// webhook URLs are accepted (got \(scheme)://)")
        }
    }

    /// The URL with everything after the first path segment hidden, e.g. `https://discord.com/api/…`.
    public static func masked(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
            return "(hidden)"
        }
        let port = components.port.map { ":\($0)" } ?? ""
        // A first segment that is not a short plain word (api, services, hooks) may itself be the secret.
        var firstSegment = ""
        if let segment = components.path.split(separator: "/").first, segment.count <= 12,
           segment.allSatisfy({ (character: Character) in character.isLowercase || character == "-" }) {
            firstSegment = "/" + segment
        }
        return "\(scheme)://\(host)\(port)\(firstSegment)/…"
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
