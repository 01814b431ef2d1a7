/// Gateway opcodes (API v10). The client sends 1, 2, 6; the server sends 0, 1, 7, 9, 10, 11.
public enum GatewayOpcode: Int, Sendable, Codable {
    case dispatch = 0
    case heartbeat = 1
    case identify = 2
    case presenceUpdate = 3
    case voiceStateUpdate = 4
    case resume = 6
    case reconnect = 7
    case requestGuildMembers = 8
    case invalidSession = 9
    case hello = 10
    case heartbeatAck = 11
}
