/// The `d` of Hello (op 10).
public struct GatewayHello: Codable, Sendable, Equatable {
    /// Milliseconds between heartbeats.
    public var heartbeatInterval: Int

    public init(heartbeatInterval: Int) { self.heartbeatInterval = heartbeatInterval }

    enum CodingKeys: String, CodingKey { case heartbeatInterval = "heartbeat_interval" }
}

/// Which shard of how many a session serves: `[shard_id, num_shards]` on the wire.
public struct ShardID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        index = try container.decode(Int.self)
        count = try container.decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(index)
        try container.encode(count)
    }

    public var description: String { "shard \(index)/\(count)" }

    /// The shard that receives a guild's events: `(guild_id >> 22) % num_shards`.
    static func forGuild(_ guild: Snowflake, count: Int) -> Int {
        Int((guild.rawValue >> 22) % UInt64(max(count, 1)))
    }
}

/// The connection properties Discord asks for in Identify.
public struct IdentifyProperties: Codable, Sendable, Equatable {
    var os: String
    var browser: String
    var device: String

    public init(os: String = IdentifyProperties.currentOS, browser: String = "clanbot", device: String = "clanbot") {
        self.os = os
        self.browser = browser
        self.device = device
    }

    public static var currentOS: String {
        #if os(Linux)
        "linux"
        #elseif os(macOS)
        "macos"
        #else
        "unknown"
        #endif
    }
}

/// The `d` of Identify (op 2).
public struct IdentifyPayload: Codable, Sendable, Equatable {
    public var token: String
    /// Slash commands arrive without any intent, so 0 is enough for clanbot.
    public var intents: UInt64
    public var properties: IdentifyProperties
    public var shard: ShardID

    public init(token: String, intents: UInt64, properties: IdentifyProperties, shard: ShardID) {
        self.token = token
        self.intents = intents
        self.properties = properties
        self.shard = shard
    }
}

/// The `d` of Resume (op 6).
public struct ResumePayload: Codable, Sendable, Equatable {
    public var token: String
    public var sessionID: String
    public var sequence: Int?

    public init(token: String, sessionID: String, sequence: Int?) {
        self.token = token
        self.sessionID = sessionID
        self.sequence = sequence
    }

    enum CodingKeys: String, CodingKey {
        case token
        case sessionID = "session_id"
        case sequence = "seq"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(sequence, forKey: .sequence)  // null rather than absent when nothing was received
    }
}

/// What clanbot keeps from the READY dispatch.
public struct ReadyPayload: Codable, Sendable, Equatable {
    public struct User: Codable, Sendable, Equatable {
        public var id: Snowflake
        public var username: String
    }
    public struct Application: Codable, Sendable, Equatable {
        public var id: Snowflake
    }

    public var version: Int
    public var sessionID: String
    var resumeGatewayURL: String
    public var user: User
    public var application: Application?
    public var shard: ShardID?

    public init(version: Int = 10, sessionID: String, resumeGatewayURL: String, user: User, application: Application?, shard: ShardID?) {
        self.version = version
        self.sessionID = sessionID
        self.resumeGatewayURL = resumeGatewayURL
        self.user = user
        self.application = application
        self.shard = shard
    }

    enum CodingKeys: String, CodingKey {
        case version = "v"
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
        case user, application, shard
    }
}

/// `session_start_limit` from `GET /gateway/bot`: how many identifies are left today.
public struct SessionStartLimit: Codable, Sendable, Equatable {
    public var total: Int
    public var remaining: Int
    /// Milliseconds until `remaining` goes back to `total`.
    var resetAfter: Int
    /// How many shards may identify in the same 5-second window.
    public var maxConcurrency: Int

    public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
        self.total = total
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.maxConcurrency = maxConcurrency
    }

    enum CodingKeys: String, CodingKey {
        case total, remaining
        case resetAfter = "reset_after"
        case maxConcurrency = "max_concurrency"
    }
}

/// The body of `GET /gateway/bot`.
public struct GatewayBotInfo: Codable, Sendable, Equatable {
    public var url: String
    public var shards: Int
    var sessionStartLimit: SessionStartLimit

    public init(url: String, shards: Int, sessionStartLimit: SessionStartLimit) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
