/// A change of a shard's connection worth telling the operator about, with its reason.
public enum GatewayStatus: Sendable, Equatable, CustomStringConvertible {
    case connecting(shard: ShardID, url: String, resuming: Bool, attempt: Int)
    case ready(shard: ShardID, sessionID: String, user: String)
    case resumed(shard: ShardID, sequence: Int?)
    case reconnecting(shard: ShardID, reason: String, after: Duration)
    case gaveUp(shard: ShardID, reason: String)
    case stopped(shard: ShardID)
    /// Something the operator should know that does not change the state (identify budget low, a payload refused).
    case warning(shard: ShardID?, message: String)

    public var description: String {
        switch self {
        case .connecting(let shard, let url, let resuming, let attempt):
            "\(shard): connecting to \(url) to \(resuming ? "resume the session" : "start a session")"
                + (attempt > 1 ? " (attempt \(attempt))" : "")
        case .ready(let shard, let sessionID, let user):
            "\(shard): ready as \(user), session \(sessionID)"
        case .resumed(let shard, let sequence):
            "\(shard): resumed the session at sequence \(sequence.map(String.init) ?? "none")"
        case .reconnecting(let shard, let reason, let after):
            "\(shard): reconnecting in \(Self.seconds(after)) because \(reason)"
        case .gaveUp(let shard, let reason):
            "\(shard): giving up: \(reason)"
        case .stopped(let shard):
            "\(shard): closed the connection (shutting down)"
        case .warning(let shard, let message):
            (shard.map { "\($0): " } ?? "") + "warning: " + message
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        // Plain arithmetic rather than String(format:), which pulls ICU into an otherwise idle process.
        if value < 10 {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) s"
        }
        return "\(Int(value.rounded())) s"
    }
}
