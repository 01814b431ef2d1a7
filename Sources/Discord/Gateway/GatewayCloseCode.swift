/// What a close of the gateway connection means for the session.
public enum GatewayCloseDisposition: Equatable, Sendable {
    /// Reconnect and resume the same session (sequence and session id kept).
    case resume
    /// Reconnect, but the session is gone: identify again.
    case identify
    /// Never reconnect: the operator must change something. The message says what.
    case fatal(String)
}

/// Gateway close codes and what to do about each. Codes 4000–4009 are Discord's recoverable ones;
/// 4004 and 4010–4014 stop the bot because reconnecting would fail the same way every time.
enum GatewayCloseCode {
    public static let unknownError: UInt16 = 4000
    public static let unknownOpcode: UInt16 = 4001
    public static let decodeError: UInt16 = 4002
    public static let notAuthenticated: UInt16 = 4003
    public static let authenticationFailed: UInt16 = 4004
    public static let alreadyAuthenticated: UInt16 = 4005
    public static let invalidSequence: UInt16 = 4007
    public static let rateLimited: UInt16 = 4008
    public static let sessionTimedOut: UInt16 = 4009
    public static let invalidShard: UInt16 = 4010
    public static let shardingRequired: UInt16 = 4011
    public static let invalidAPIVersion: UInt16 = 4012
    public static let invalidIntents: UInt16 = 4013
    public static let disallowedIntents: UInt16 = 4014

    /// Codes the client sends. Not 1000/1001: those end the session on Discord's side,
    /// and a zombie or reconnect must keep it resumable. 4900+ is in RFC 6455's private range
    /// and clear of Discord's own codes.
    static let clientZombieConnection: UInt16 = 4900
    static let clientReconnect: UInt16 = 4901
    /// A normal close for shutdown: the session ends and Discord takes the bot offline at once.
    public static let clientShutdown: UInt16 = 1000

    /// How the session should react when the server closes with `code` (nil: no close frame, e.g. a dropped TCP connection).
    public static func disposition(of code: UInt16?) -> GatewayCloseDisposition {
        switch code {
        case authenticationFailed?:
            return .fatal("Discord rejected the bot token (close code 4004). Check DISCORD_TOKEN: copy the token again from the Bot page of your application in the Discord developer portal (reset it if it leaked).")
        case invalidShard?:
            return .fatal("Discord rejected the shard (close code 4010): the shard id must be below the shard count. Check --shards (form i..j/n with j < n).")
        case shardingRequired?:
            return .fatal("Discord requires sharding (close code 4011): the bot is in too many guilds for one session. Run with more shards, e.g. --shards 0..1/2, or leave --shards out to use the count Discord recommends.")
        case invalidAPIVersion?:
            return .fatal("Discord rejected the gateway API version (close code 4012). This build speaks v10; upgrade clanbot.")
        case invalidIntents?:
            return .fatal("Discord rejected the gateway intents as invalid (close code 4013). The intents bitmask sent is wrong; clanbot needs no intents for slash commands.")
        case disallowedIntents?:
            return .fatal("Discord refused a privileged intent the bot is not approved for (close code 4014). Enable it under Bot → Privileged Gateway Intents in the developer portal, or run without it.")
        case invalidSequence?, sessionTimedOut?:
            return .identify
        default:
            return .resume
        }
    }
}
