import Foundation

/// Which webhook URLs clanbot accepts, where a delivery may connect, and how a URL is shown once stored.
/// A webhook URL is a secret (whoever has a Discord or Slack webhook URL can post as it),
/// so after it is added only a masked form is ever shown.
///
/// Webhooks reach only the public internet: an officer must not be able to aim one at the bot host's own
/// network (cloud metadata, admin pages) and read the answer back in `/webhook list`. `validate` refuses
/// address literals in non-public ranges when a webhook is added; `refusal(connectingTo:)` is asked again
/// for the address each delivery actually connects to, after DNS, so a name cannot lead there either.
public struct WebhookURLPolicy: Sendable {
    /// Loopback (127.0.0.0/8, ::1, localhost), with plain http too, is allowed only when this is set
    /// (CLANBOT_WEBHOOK_ALLOW_LOOPBACK=1: a relay on the same host, local tests). Every other non-public
    /// range stays refused.
    public var allowLoopback: Bool

    public init(allowLoopback: Bool = false) {
        self.allowLoopback = allowLoopback
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
        let loopback = Self.isLoopbackName(host) || IPAddress(literal: host)?.nonPublicRange == .loopback
        switch scheme {
        case "https":
            break
        case "http" where allowLoopback && loopback:
            break
        default:
            throw Rejection(description: "only https:// webhook URLs are accepted (got \(scheme)://)")
        }
        if let address = IPAddress(literal: host), let reason = refusal(connectingTo: address) {
            throw Rejection(description: reason)
        }
        if Self.isLoopbackName(host), !allowLoopback {
            throw Rejection(description: "\(host) is this machine itself (loopback); webhooks may only reach public internet addresses")
        }
        return url
    }

    /// Why a delivery must not connect to `address`, or nil when it may (a public address, or loopback
    /// when allowed).
    public func refusal(connectingTo address: IPAddress) -> String? {
        guard let range = address.nonPublicRange else { return nil }
        if range == .loopback, allowLoopback { return nil }
        return "\(address) is in \(range); webhooks may only reach public internet addresses"
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

    /// `localhost` and its subdomains, which resolvers answer with loopback without asking DNS (RFC 6761).
    static func isLoopbackName(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")
    }
}
