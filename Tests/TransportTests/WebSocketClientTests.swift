import Foundation
import Testing
import TestSupport
@testable import Transport

/// The client against the scriptable test server over plain ws:// (TLS has its own suite).
@Suite struct WebSocketClientTests {
    private let quick = WebSocketOptions(connectTimeout: .seconds(20), closeTimeout: .seconds(2))

    private func withClient(
        options: WebSocketOptions? = nil, handshake: WebSocketHandshakeBehavior = .accept,
        server handler: @escaping @Sendable (WebSocketServerConnection) throws -> Void,
        _ body: (WebSocketClient, WebSocketTestServer) async throws -> Void
    ) async throws {
        let server = try WebSocketTestServer(handshake: handshake, handler: handler)
        defer { server.stop() }
        let client = try await WebSocketClient.connect(to: server.url(path: "/gateway?v=10"), headers: [("User-Agent", "clanbot-test")], options: options ?? quick)
        try await body(client, server)
    }

    @Test func echoesTextAndBinaryAndSendsTheRequestHeaders() async throws {
        let seen = LockedValue<[String]>([])
        try await withClient(server: { connection in
            seen.withLock { $0 = [connection.path, connection.request.value(for: "User-Agent") ?? ""] }
            while true {
                switch try connection.receiveMessage() {
                case .text(let text): try connection.send(text: text)
                case .binary(let bytes): try connection.send(binary: bytes)
                }
            }
        }) { client, _ in
            try await client.send(text: "hello κόσμε")
            #expect(try await client.receive() == .text("hello κόσμε"))
            let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            try await client.send(binary: big)
            #expect(try await client.receive() == .binary(big))
            try await client.send(text: "")
            #expect(try await client.receive() == .text(""))
            await client.close()
        }
        #expect(seen.value == ["/gateway?v=10", "clanbot-test"])
    }

    @Test func masksEveryFrameWithAFreshKey() async throws {
        let keys = LockedValue<[[UInt8]]>([])
        try await withClient(server: { connection in
            for _ in 0..<20 {
                let frame = try connection.receiveFrame()
                keys.withLock { $0.append(frame.maskingKey ?? []) }
            }
            try connection.send(text: "done")
        }) { client, _ in
            for index in 0..<20 { try await client.send(text: "message \(index)") }
            #expect(try await client.receive() == .text("done"))
        }
        #expect(keys.value.count == 20)
        #expect(keys.value.allSatisfy { $0.count == 4 })  // the server decoder also rejects unmasked frames
        #expect(Set(keys.value).count == 20)
    }

    @Test func sendsFromManyTasksArriveWholeAndInOrderPerTask() async throws {
        let received = LockedValue<[String]>([])
        try await withClient(server: { connection in
            for _ in 0..<200 {
                let text = try connection.receiveText()
                received.withLock { $0.append(text) }
            }
            try connection.send(text: "all")
        }) { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        for index in 0..<50 { try await client.send(text: "\(task)-\(index)") }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.receive() == .text("all"))
        }
        for task in 0..<4 {
            let mine = received.value.filter { $0.hasPrefix("\(task)-") }
            #expect(mine == (0..<50).map { "\(task)-\($0)" })
        }
    }

    @Test func slowReceiverPausesReadingAndLosesNothing() async throws {
        var options = quick
        options.maximumBufferedMessages = 4
        options.readTimeout = .milliseconds(500)  // a paused reader must not count as a silent server
        try await withClient(options: options, server: { connection in
            for index in 0..<300 { try connection.send(text: "message \(index)") }
            _ = connection.waitForDisconnect()
        }) { client, _ in
            try await Task.sleep(for: .milliseconds(700))
            for index in 0..<300 {
                #expect(try await client.receive() == .text("message \(index)"))
            }
            client.abort()
        }
    }

    @Test func sendPingReachesTheServer() async throws {
        let event = LockedValue<WebSocketServerEvent?>(nil)
        try await withClient(server: { connection in
            let received = try connection.receive()
            event.withLock { $0 = received }
            try connection.send(text: "seen")
        }) { client, _ in
            try await client.sendPing(Array("heartbeat?".utf8))
            #expect(try await client.receive() == .text("seen"))
        }
        #expect(event.value == .ping(Array("heartbeat?".utf8)))
    }

    @Test func reassemblesFragmentsAndAnswersAnInterleavedPing() async throws {
        let pong = LockedValue<WebSocketServerEvent?>(nil)
        try await withClient(server: { connection in
            try connection.sendFrame(opcode: 1, payload: Array("frag".utf8), fin: false)
            try connection.sendPing(Array("are you there".utf8))
            try connection.sendFrame(opcode: 0, payload: Array("ment".utf8), fin: false)
            try connection.sendFrame(opcode: 0, payload: Array("ed".utf8), fin: true)
            let answer = try connection.receive()
            pong.withLock { $0 = answer }
            _ = try connection.receiveClose()
        }) { client, _ in
            #expect(try await client.receive() == .text("fragmented"))
            try await Task.sleep(for: .milliseconds(100))
            await client.close()
        }
        #expect(pong.value == .pong(Array("are you there".utf8)))
    }

    @Test func reportsTheServersCloseCodeAndReasonAndEchoesTheCode() async throws {
        let clientClose = LockedValue<WebSocketCloseFrame?>(nil)
        try await withClient(server: { connection in
            try connection.send(text: "last words")
            let reply = try connection.close(code: 4004, reason: "Authentication failed.")
            clientClose.withLock { $0 = reply }
        }) { client, _ in
            let first = try await client.receive()
            #expect(first == .text("last words"))
            let error = await #expect(throws: WebSocketError.self) { try await client.receive() }
            #expect(error == .closed(serverClose: WebSocketCloseFrame(code: 4004, reason: "Authentication failed."), initiatedByClient: false))
            #expect(error?.closeCode == 4004)
            #expect(client.serverCloseFrame?.code == 4004)
            await #expect(throws: WebSocketError.notOpen) { try await client.send(text: "too late") }
        }
        #expect(clientClose.value?.code == 4004)
    }

    @Test func clientInitiatedCloseSendsCodeAndReason() async throws {
        let received = LockedValue<WebSocketCloseFrame?>(nil)
        try await withClient(server: { connection in
            let frame = try connection.receiveClose()
            received.withLock { $0 = frame }
            try connection.sendClose(code: frame.code)
        }) { client, _ in
            await client.close(code: 4000, reason: "zombie connection")
            #expect(!client.isOpen)
            #expect(client.endReason == .closed(serverClose: WebSocketCloseFrame(code: 4000), initiatedByClient: true))
        }
        #expect(received.value == WebSocketCloseFrame(code: 4000, reason: "zombie connection"))
    }

    @Test func closeReturnsAfterTheTimeoutWhenTheServerNeverAnswers() async throws {
        var options = quick
        options.closeTimeout = .milliseconds(300)
        try await withClient(options: options, server: { connection in
            _ = try connection.receiveClose()
            Thread.sleep(forTimeInterval: 2)
        }) { client, _ in
            await client.close(code: 1000)
            #expect(client.endReason == .closed(serverClose: nil, initiatedByClient: true))
        }
    }

    private func expectViolation(
        _ expected: WebSocketProtocolError, code: UInt16, options: WebSocketOptions? = nil,
        server script: @escaping @Sendable (WebSocketServerConnection) throws -> Void
    ) async throws {
        let clientClose = LockedValue<WebSocketCloseFrame?>(nil)
        try await withClient(options: options, server: { connection in
            try script(connection)
            let frame = try connection.receiveClose()
            clientClose.withLock { $0 = frame }
            try connection.sendClose(code: frame.code)
        }) { client, _ in
            await #expect(throws: WebSocketError.protocolViolation(expected)) { try await client.receive() }
        }
        #expect(clientClose.value?.code == code)
    }

    @Test func oversizeMessageClosesWith1009() async throws {
        var options = quick
        options.maximumMessageSize = 1000
        try await expectViolation(.messageTooBig(limit: 1000), code: 1009, options: options) { connection in
            try connection.send(binary: [UInt8](repeating: 0, count: 1001))
        }
    }

    @Test func oversizeFragmentedMessageClosesWith1009() async throws {
        var options = quick
        options.maximumMessageSize = 1000
        try await expectViolation(.messageTooBig(limit: 1000), code: 1009, options: options) { connection in
            for index in 0..<3 { try connection.sendFrame(opcode: index == 0 ? 2 : 0, payload: [UInt8](repeating: 0, count: 400), fin: false) }
        }
    }

    @Test func invalidUTF8ClosesWith1007() async throws {
        try await expectViolation(.invalidUTF8, code: 1007) { connection in
            try connection.sendFrame(opcode: 1, payload: [0x68, 0x69, 0xC0, 0xAF])
        }
    }

    @Test func maskedServerFrameClosesWith1002() async throws {
        try await expectViolation(.maskedFrameFromServer, code: 1002) { connection in
            try connection.sendFrame(opcode: 1, payload: Array("masked".utf8), maskingKey: [9, 8, 7, 6])
        }
    }

    @Test func reservedBitsAndOpcodesCloseWith1002() async throws {
        try await expectViolation(.reservedBitsSet(2), code: 1002) { connection in
            try connection.sendFrame(opcode: 1, payload: Array("x".utf8), reservedBits: 2)
        }
        try await expectViolation(.reservedOpcode(5), code: 1002) { connection in
            try connection.sendFrame(opcode: 5, payload: [])
        }
        try await expectViolation(.fragmentedControlFrame(.ping), code: 1002) { connection in
            try connection.sendFrame(opcode: 9, payload: [], fin: false)
        }
        try await expectViolation(.invalidCloseCode(1005), code: 1002) { connection in
            try connection.sendRaw([0x88, 0x02, 0x03, 0xED])
        }
    }

    @Test func messagesBeforeAViolationAreDeliveredAndCanBeAnsweredFirst() async throws {
        let seen = LockedValue<[String]>([])
        // The close after a violation waits for the application to catch up, or for closeTimeout:
        // give a loaded machine plenty of time to schedule the reply (15 s was once not enough in CI).
        var options = quick
        options.closeTimeout = .seconds(60)
        try await withClient(options: options, server: { connection in
            // One write: a good message, then a frame with RSV bits, then a ping.
            let good = WebSocketFrameEncoder.encode(opcode: 1, payload: Array("Hello".utf8), maskingKey: nil)
            let bad = WebSocketFrameEncoder.encode(reservedBits: 2, opcode: 1, payload: Array("bad".utf8), maskingKey: nil)
            let ping = WebSocketFrameEncoder.encode(opcode: 9, payload: [], maskingKey: nil)
            try connection.sendRaw(good + bad + ping)
            let echo = try connection.receiveText()
            let close = try connection.receiveClose()
            seen.withLock { $0 = [echo, "\(close.code ?? 0)"] }
            try connection.sendClose(code: close.code)
        }) { client, _ in
            let first = try await client.receive()
            #expect(first == .text("Hello"))
            if case .text(let text) = first { try await client.send(text: text) }
            await #expect(throws: WebSocketError.protocolViolation(.reservedBitsSet(2))) { try await client.receive() }
        }
        #expect(seen.value == ["Hello", "1002"])
    }

    @Test func droppedSocketIsALostConnectionNotAHang() async throws {
        try await withClient(server: { connection in
            try connection.send(text: "bye")
            connection.drop()
        }) { client, _ in
            let first = try await client.receive()
            #expect(first == .text("bye"))
            let error = await #expect(throws: WebSocketError.self) { try await client.receive() }
            guard case .connectionLost = error else {
                Issue.record("expected connectionLost, got \(String(describing: error))")
                return
            }
            #expect(error?.closeCode == 1006)
        }
    }

    @Test func readTimeoutFailsASilentConnection() async throws {
        var options = quick
        options.readTimeout = .milliseconds(300)
        try await withClient(options: options, server: { connection in
            _ = connection.waitForDisconnect(timeout: .seconds(30))
        }) { client, _ in
            await #expect(throws: WebSocketError.transport(.readTimedOut(seconds: 0.3))) { try await client.receive() }
        }
    }

    @Test func receiveCanBeCancelled() async throws {
        try await withClient(server: { connection in
            _ = connection.waitForDisconnect(timeout: .seconds(30))
        }) { client, _ in
            let waiting = Task { try await client.receive() }
            try await Task.sleep(for: .milliseconds(50))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            #expect(client.isOpen)
        }
    }

    @Test func handshakeRejectsAWrongAccept() async throws {
        let server = try WebSocketTestServer(handshake: .wrongAccept) { _ in }
        defer { server.stop() }
        let error = await #expect(throws: WebSocketError.self) { try await WebSocketClient.connect(to: server.url, options: quick) }
        guard case .handshakeFailed(let detail) = error else {
            Issue.record("expected handshakeFailed, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("Sec-WebSocket-Accept"))
    }

    @Test(arguments: [403, 200, 302])
    func handshakeRejectsAnyStatusButSwitchingProtocols(status: Int) async throws {
        let server = try WebSocketTestServer(handshake: .status(status)) { _ in }
        defer { server.stop() }
        let error = await #expect(throws: WebSocketError.self) { try await WebSocketClient.connect(to: server.url, options: quick) }
        guard case .handshakeFailed(let detail) = error else {
            Issue.record("expected handshakeFailed, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("\(status)"))
    }

    @Test func handshakeRejectsMissingUpgradeHeader() async throws {
        let server = try WebSocketTestServer(handshake: .raw("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n")) { _ in }
        defer { server.stop() }
        await #expect(throws: WebSocketError.handshakeFailed("response lacks \"Upgrade: websocket\" (got none)")) {
            try await WebSocketClient.connect(to: server.url, options: quick)
        }
    }

    @Test func handshakeTimesOutWhenTheServerNeverAnswers() async throws {
        let server = try WebSocketTestServer(handshake: .silent) { _ in }
        defer { server.stop() }
        var options = quick
        options.connectTimeout = .milliseconds(300)
        await #expect(throws: WebSocketError.handshakeFailed("no answer to the upgrade request within 0.3 s")) {
            try await WebSocketClient.connect(to: server.url, options: options)
        }
    }

    @Test func refusedConnectionIsATypedError() async throws {
        // Bind a port, then stop listening so nothing answers there.
        let listener = try TCPListener { fd in close(fd) }
        let port = listener.port
        listener.stop()
        let error = await #expect(throws: WebSocketError.self) {
            try await WebSocketClient.connect(to: URL(string: "ws://127.0.0.1:\(port)/")!, options: quick)
        }
        guard case .transport(.connectFailed) = error else {
            Issue.record("expected connectFailed, got \(String(describing: error))")
            return
        }
    }

    @Test func rejectsURLsThatAreNotWebSocketURLs() async {
        for text in ["http://127.0.0.1/", "ws:///nohost", "ftp://x"] {
            guard let url = URL(string: text) else { continue }
            await #expect(throws: WebSocketError.invalidURL(url.absoluteString)) { try await WebSocketClient.connect(to: url) }
        }
    }
}
