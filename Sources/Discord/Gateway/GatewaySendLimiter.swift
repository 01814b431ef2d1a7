/// Discord allows 120 gateway events per 60 seconds per connection and closes with 4008 beyond that.
/// Ordinary events may use the limit minus a few reserved slots, so heartbeats always find room.
/// A sliding log: no 60-second window, wherever it starts, ever holds more than `limit` sends.
struct GatewaySendLimiter: Sendable {
    enum Priority: Sendable { case heartbeat, normal }

    public let limit: Int
    public let window: Double
    let reservedForHeartbeats: Int
    private var sent: [Double] = []  // send times within the window, oldest first

    public init(limit: Int = 120, window: Double = 60, reservedForHeartbeats: Int = 5) {
        self.limit = limit
        self.window = window
        self.reservedForHeartbeats = min(max(reservedForHeartbeats, 0), max(limit - 1, 0))
    }

    /// Nil: send now (the send is recorded). Otherwise the seconds to wait before asking again.
    public mutating func reserve(_ priority: Priority, now: Double) -> Double? {
        sent.removeAll { $0 <= now - window }
        let allowed = priority == .heartbeat ? limit : limit - reservedForHeartbeats
        if sent.count < allowed {
            sent.append(now)
            return nil
        }
        // Room opens when enough of the oldest sends leave the window.
        let index = sent.count - allowed
        return max(sent[index] + window - now, 0.001)
    }

    var sentInWindow: Int { sent.count }
}
