import Domain
import Foundation
import Transport

/// A local stand-in for `secure.runescape.com`: serves `/m={board}/index_lite.json?player=NAME`
/// for the players a test puts on each board, 404 for anyone else, and scripted answers
/// (5xx, delays, malformed bodies) where a test asks for them. Names match as the game matches them.
public final class FakeHiscoresServer: Sendable {
    private let server: HTTPTestServer
    private let answers: LockedValue<[String: [HTTPTestResponse]]>

    public init() throws {
        let answers = LockedValue<[String: [HTTPTestResponse]]>([:])
        self.answers = answers
        server = try HTTPTestServer { request in
            guard request.method == "GET", request.path.hasSuffix("/index_lite.json"),
                let board = FakeHiscoresServer.board(in: request.path), let name = request.queryValue("player")
            else { return .text("<html>Page not found</html>", status: 404) }
            let key = FakeHiscoresServer.key(board, name)
            return answers.withLock { table -> HTTPTestResponse in
                guard var queue = table[key], let first = queue.first else {
                    return .text("<html>Page not found</html>", status: 404)
                }
                if queue.count > 1 {
                    queue.removeFirst()
                    table[key] = queue
                }
                return first
            }
        }
    }

    /// The value for OSRS_HISCORES_BASE.
    public var baseURL: String { server.baseURL }
    public var requests: [HTTPTestRequest] { server.requests }
    public var connectionCount: Int { server.connectionCount }

    /// Requests that asked `board`.
    public func requests(on board: HiscoresBoard) -> [HTTPTestRequest] {
        requests.filter { FakeHiscoresServer.board(in: $0.path) == board }
    }

    /// Puts `player` on `board` under `name`.
    public func set(_ name: String, on board: HiscoresBoard, _ player: HiscoresFixture.Player) {
        script(name, on: board, [.json(player.json)])
    }

    /// Answers `name` on `board` with these responses in turn, then the last one again.
    public func script(_ name: String, on board: HiscoresBoard, _ responses: [HTTPTestResponse]) {
        answers.withLock { $0[FakeHiscoresServer.key(board, name)] = responses }
    }

    public func remove(_ name: String, from board: HiscoresBoard) {
        answers.withLock { $0[FakeHiscoresServer.key(board, name)] = nil }
    }

    public func stop() { server.stop() }

    static func board(in path: String) -> HiscoresBoard? {
        guard let range = path.range(of: "/m=") else { return nil }
        let rest = path[range.upperBound...]
        return HiscoresBoard(rawValue: String(rest.prefix { $0 != "/" }))
    }

    static func key(_ board: HiscoresBoard, _ name: String) -> String {
        let normalized = name.lowercased().map { $0 == "_" || $0 == "-" ? " " : $0 }
        return board.rawValue + "|" + String(normalized).trimmingCharacters(in: .whitespaces)
    }
}
