import Foundation

/// One payload the client sent to the fake gateway, with the fields tests assert on.
public struct FakeGatewayPayload: Sendable, Equatable {
    /// Which connection (0 for the first) it came on, and when (seconds since the fake started).
    public var connection: Int
    public var time: Double
    public var op: Int
    public var raw: String
    /// Heartbeat: `d`; Resume: `d.seq`.
    public var sequence: Int?
    /// Identify and Resume.
    public var token: String?
    /// Resume.
    public var sessionID: String?
    /// Identify: `[shard_id, num_shards]`.
    public var shard: [Int]?
    public var intents: Int?

    public var isHeartbeat: Bool { op == 1 }
    public var isIdentify: Bool { op == 2 }
    public var isResume: Bool { op == 6 }

    init(connection: Int, time: Double, raw: String) throws {
        self.connection = connection
        self.time = time
        self.raw = raw
        guard let object = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any], let op = object["op"] as? Int else {
            throw WebSocketTestServerError.unexpected("the client sent a payload without an op: \(raw)")
        }
        self.op = op
        let d = object["d"]
        if op == 1 { sequence = d as? Int }
        if let data = d as? [String: Any] {
            sequence = data["seq"] as? Int
            token = data["token"] as? String
            sessionID = data["session_id"] as? String
            shard = data["shard"] as? [Int]
            intents = data["intents"] as? Int
        }
    }
}
