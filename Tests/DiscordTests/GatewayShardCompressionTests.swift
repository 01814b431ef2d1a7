import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// The shard driver over an in-memory socket speaking zlib-stream: one inflate context across messages,
/// a message split over two frames, the flush marker ending each.
@Suite struct GatewayShardCompressionTests {
    // Hello, Ready and a GUILD_CREATE deflated as one zlib stream with a sync flush after each (made with Python's zlib).
    static let hello = "eJyqVsovULIyNNBRSlGyqlbKSE0sKklKTSyJz8wrSS0qS8xRsjIzAIJaHaViJau80pwcHaUSCKMWAAAA//8="
    static let ready = "RI7NCsIwEITfZc9qm6s3QV/Am4iEbVk0kKQhm1h/6Lu7SQMe59vZmfnW375eVMVwPh2OF2hhzzWYidlMXhuB8LFm2DYivkicHek7JprxrXOUPpiZ9123nnb0QhcsiTczxRJbc1QDHh2JHC36YUogMzEEa0ZMpeDvLvsfGEVc+426LcsPAAD//w=="
    static let guildCreate = "Qna8EcTx7qGePi7xzkA/hLjC/ADWbqpUWwsAAAD//w=="

    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64) ?? Data()) }

    /// Sends Hello on connect and the rest once the client has identified.
    final class ZlibSocket: GatewaySocket {
        let inbound: AsyncStream<WebSocketMessage>
        let feed: AsyncStream<WebSocketMessage>.Continuation
        let sent = LockedValue<[String]>([])

        init() {
            (inbound, feed) = AsyncStream<WebSocketMessage>.makeStream()
            feed.yield(.binary(GatewayShardCompressionTests.bytes(GatewayShardCompressionTests.hello)))
        }

        func send(text: String) async throws {
            let first = sent.withLock { list -> Bool in
                list.append(text)
                return text.contains(#""op":2"#)
            }
            if first {
                let ready = GatewayShardCompressionTests.bytes(GatewayShardCompressionTests.ready)
                feed.yield(.binary(Array(ready.prefix(40))))  // no flush marker yet: nothing to decode
                feed.yield(.binary(Array(ready.dropFirst(40))))
                feed.yield(.binary(GatewayShardCompressionTests.bytes(GatewayShardCompressionTests.guildCreate)))
            }
        }

        func receive() async throws -> WebSocketMessage {
            var iterator = inbound.makeAsyncIterator()
            guard let message = await iterator.next() else { throw GatewaySocketClosed(code: nil, reason: "test over") }
            return message
        }

        func close(code: UInt16, reason: String) async { feed.finish() }
    }

    struct Connector: GatewayConnector {
        let socket: ZlibSocket
        let urls: LockedValue<[String]>
        func connect(to url: String) async throws -> any GatewaySocket {
            urls.withLock { $0.append(url) }
            return socket
        }
    }

    @Test func inflatesAZlibStreamAcrossMessagesAndFrames() async throws {
        let socket = ZlibSocket()
        let urls = LockedValue<[String]>([])
        let dispatched = LockedValue<[String]>([])
        let statuses = LockedValue<[GatewayStatus]>([])
        let shard = GatewayShard(
            configuration: .init(token: "z", gatewayURL: "wss://gateway.example", compress: true),
            connector: Connector(socket: socket, urls: urls),
            identifyQueue: IdentifyQueue(limit: SessionStartLimit(total: 1000, remaining: 1000, resetAfter: 1000, maxConcurrency: 1)),
            onStatus: { status in statuses.withLock { $0.append(status) } },
            onDispatch: { dispatch in dispatched.withLock { $0.append(dispatch.name) } }
        )
        let run = Task { await shard.run() }
        for _ in 0..<200 where dispatched.value.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await shard.state == .ready)
        #expect(await shard.sessionID == "zlib-session")
        #expect(await shard.sequence == 2)
        #expect(dispatched.value == ["GUILD_CREATE"])
        #expect(urls.value == ["wss://gateway.example/?v=10&encoding=json&compress=zlib-stream"])
        #expect(socket.sent.value.first?.contains(#""op":2"#) == true)
        await shard.stop()
        #expect(await run.value == .requested)
    }
}
