import Foundation

/// The application as `GET /applications/@me` returns it.
public struct Application: Decodable, Sendable, Equatable {
    public var id: Snowflake
    public var name: String
}

/// A registered command as Discord returns it from a bulk overwrite.
public struct RegisteredCommand: Decodable, Sendable, Equatable {
    public var id: Snowflake
    public var name: String
    public var type: Int?
    public var version: Snowflake?
}

/// Typed calls for the endpoints clanbot uses.
extension DiscordREST {
    /// Gateway URL, recommended shard count and the identify budget.
    func gatewayBot() async throws(DiscordRESTError) -> GatewayBotInfo {
        try await get(.gatewayBot, as: GatewayBotInfo.self)
    }

    /// The bot's application (its id is the one commands and interaction webhooks use).
    public func currentApplication() async throws(DiscordRESTError) -> Application {
        do {
            return try await get(.currentApplication, as: Application.self)
        } catch .api(_, let status, _) where status == 404 {
            return try await get(.currentOAuthApplication, as: Application.self)
        }
    }

    /// Replaces every command of the application (globally, or in one guild) with `commands`, a JSON array
    /// of command objects. Commands absent from the array are deleted; unchanged ones keep their ids.
    public func bulkOverwriteCommands(application: Snowflake, guild: Snowflake?, commands: Data) async throws(DiscordRESTError) -> [RegisteredCommand] {
        let route = guild.map { Route.guildCommands(application, guild: $0, .put) } ?? Route.globalCommands(application, .put)
        let data = try await send(route, body: commands)
        do {
            return try JSONDecoder().decode([RegisteredCommand].self, from: data)
        } catch {
            throw .decoding(route: route.description, message: GatewayFrameCodec.describe(error))
        }
    }

    /// The commands currently registered, as raw JSON objects.
    public func commands(application: Snowflake, guild: Snowflake?) async throws(DiscordRESTError) -> [JSONValue] {
        let route = guild.map { Route.guildCommands(application, guild: $0) } ?? Route.globalCommands(application)
        return try await get(route, as: [JSONValue].self)
    }

    /// The first answer to an interaction (due within 3 seconds). Messages with files go as multipart/form-data
    /// (here and in the edits and follow-ups below).
    public func respond(to interactionID: Snowflake, token: String, with response: InteractionResponse) async throws(DiscordRESTError) {
        try await send(.interactionCallback(interactionID, token: token), json: response, files: response.message?.files ?? [])
    }

    /// Edits the original response (after a deferral, type 5 or 6, or to change a reply). Whether it is
    /// ephemeral was settled by the first answer; an edit cannot change it, so that flag is not sent.
    @discardableResult
    public func editOriginalResponse(application: Snowflake, token: String, _ message: MessagePayload) async throws(DiscordRESTError) -> Message {
        var edit = message
        if let flags = edit.flags {
            let kept = flags.subtracting(.ephemeral)
            edit.flags = kept.isEmpty ? nil : kept
        }
        return try await send(.originalResponse(application, token: token), json: edit, files: edit.files, as: Message.self)
    }

    public func deleteOriginalResponse(application: Snowflake, token: String) async throws(DiscordRESTError) {
        try await send(.originalResponse(application, token: token, .delete))
    }

    /// A further message after the first answer (valid while the token lives, 15 minutes).
    @discardableResult
    public func createFollowUp(application: Snowflake, token: String, _ message: MessagePayload) async throws(DiscordRESTError) -> Message {
        try await send(.followUp(application, token: token), json: message, files: message.files, as: Message.self)
    }

    /// A plain message in a channel (for announcements outside an interaction).
    @discardableResult
    func createMessage(channel: Snowflake, _ message: MessagePayload) async throws(DiscordRESTError) -> Message {
        try await send(.channelMessages(channel), json: message, files: message.files, as: Message.self)
    }
}
