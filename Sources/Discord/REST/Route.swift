/// One REST endpoint call: method, the route template (what Discord's per-route limits are keyed on), the
/// concrete path, and the route's major parameter (channel, guild, or webhook id + token), which splits a
/// bucket into independent limits.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE" }

    public var method: Method
    public var template: String
    public var path: String
    var majorParameter: String?
    /// Interaction callbacks do not count toward the global limit.
    var exemptFromGlobalLimit: Bool

    public init(_ method: Method, template: String, path: String, majorParameter: String? = nil, exemptFromGlobalLimit: Bool = false) {
        self.method = method
        self.template = template
        self.path = path
        self.majorParameter = majorParameter
        self.exemptFromGlobalLimit = exemptFromGlobalLimit
    }

    /// The key of the route's limit before Discord tells us its bucket.
    var routeKey: String { "\(method.rawValue) \(template)" }

    /// Interaction tokens are secrets and long: never print one.
    public var description: String { "\(method.rawValue) \(template)" }

    // MARK: - The endpoints clanbot uses

    static let gatewayBot = Route(.get, template: "/gateway/bot", path: "/gateway/bot")
    public static let currentApplication = Route(.get, template: "/applications/@me", path: "/applications/@me")
    public static let currentOAuthApplication = Route(.get, template: "/oauth2/applications/@me", path: "/oauth2/applications/@me")

    public static func globalCommands(_ application: Snowflake, _ method: Method = .get) -> Route {
        Route(method, template: "/applications/{application_id}/commands", path: "/applications/\(application)/commands")
    }

    static func guildCommands(_ application: Snowflake, guild: Snowflake, _ method: Method = .get) -> Route {
        Route(method, template: "/applications/{application_id}/guilds/{guild_id}/commands",
              path: "/applications/\(application)/guilds/\(guild)/commands", majorParameter: "guild:\(guild)")
    }

    static func interactionCallback(_ interaction: Snowflake, token: String) -> Route {
        Route(.post, template: "/interactions/{interaction_id}/{interaction_token}/callback",
              path: "/interactions/\(interaction)/\(token)/callback", majorParameter: "interaction:\(interaction)",
              exemptFromGlobalLimit: true)
    }

    static func originalResponse(_ application: Snowflake, token: String, _ method: Method = .patch) -> Route {
        Route(method, template: "/webhooks/{application_id}/{interaction_token}/messages/@original",
              path: "/webhooks/\(application)/\(token)/messages/@original", majorParameter: "webhook:\(application)/\(token)")
    }

    public static func followUp(_ application: Snowflake, token: String) -> Route {
        Route(.post, template: "/webhooks/{application_id}/{interaction_token}",
              path: "/webhooks/\(application)/\(token)", majorParameter: "webhook:\(application)/\(token)")
    }

    public static func channelMessages(_ channel: Snowflake) -> Route {
        Route(.post, template: "/channels/{channel_id}/messages", path: "/channels/\(channel)/messages", majorParameter: "channel:\(channel)")
    }
}
