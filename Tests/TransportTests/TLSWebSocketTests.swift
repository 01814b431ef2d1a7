import Foundation
import Testing
import TestSupport
@testable import Transport

/// wss:// against the test server with a CA and certificate generated for each test.
@Suite struct TLSWebSocketTests {
    private func options(caFile: String?, serverName: String? = nil) -> WebSocketOptions {
        WebSocketOptions(connectTimeout: .seconds(20), closeTimeout: .seconds(2),
                         tls: TLSOptions(additionalCAFile: caFile, serverNameOverride: serverName))
    }

    private static let echo: @Sendable (WebSocketServerConnection) throws -> Void = { connection in
        while true {
            switch try connection.receiveMessage() {
            case .text(let text): try connection.send(text: text)
            case .binary(let bytes): try connection.send(binary: bytes)
            }
        }
    }

    @Test func trustedThroughTheCAFileEchoesAndClosesCleanly() async throws {
        let server = try WebSocketTestServer(tls: true, handler: Self.echo)
        defer { server.stop() }
        #expect(server.url.scheme == "wss")
        let client = try await WebSocketClient.connect(to: server.url, options: options(caFile: server.caFilePath))
        try await client.send(text: "over TLS")
        #expect(try await client.receive() == .text("over TLS"))
        let big = [UInt8](repeating: 0xAB, count: 300_000)
        try await client.send(binary: big)
        #expect(try await client.receive() == .binary(big))
        await client.close(code: 1000, reason: "done")
        #expect(client.endReason == .closed(serverClose: WebSocketCloseFrame(code: 1000), initiatedByClient: true))
    }

    @Test func selfSignedCAWithoutTheCAFileIsNotTrusted() async throws {
        let server = try WebSocketTestServer(tls: true, handler: Self.echo)
        defer { server.stop() }
        let error = await #expect(throws: WebSocketError.self) {
            try await WebSocketClient.connect(to: server.url, options: options(caFile: nil))
        }
        guard case .transport(.certificateNotTrusted(let host, _)) = error else {
            Issue.record("expected certificateNotTrusted, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(error?.description.contains("SSL_CERT_FILE") == true)
    }

    @Test func certificateForAnotherHostIsAHostMismatch() async throws {
        let certificates = try TestCertificates.generate(hosts: ["wrong.example"])
        let server = try WebSocketTestServer(certificates: certificates, handler: Self.echo)
        defer { server.stop() }
        let error = await #expect(throws: WebSocketError.self) {
            try await WebSocketClient.connect(to: server.url, options: options(caFile: server.caFilePath))
        }
        guard case .transport(.certificateHostMismatch(let host, _)) = error else {
            Issue.record("expected certificateHostMismatch, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1")
    }

    @Test func serverNameOverrideVerifiesAndSendsThatName() async throws {
        let certificates = try TestCertificates.generate(hosts: ["gateway.test"])
        let server = try WebSocketTestServer(certificates: certificates, handler: Self.echo)
        defer { server.stop() }
        let client = try await WebSocketClient.connect(
            to: server.url, options: options(caFile: server.caFilePath, serverName: "gateway.test"))
        try await client.send(text: "sni")
        #expect(try await client.receive() == .text("sni"))
        await client.close()
    }

    @Test func unreadableCAFileIsAConfigurationError() async throws {
        let server = try WebSocketTestServer(tls: true, handler: Self.echo)
        defer { server.stop() }
        let error = await #expect(throws: WebSocketError.self) {
            try await WebSocketClient.connect(to: server.url, options: options(caFile: "/nonexistent/ca.pem"))
        }
        guard case .transport(.tlsConfiguration(let detail)) = error else {
            Issue.record("expected tlsConfiguration, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("/nonexistent/ca.pem"))
    }

    @Test func serverCloseCodeArrivesOverTLS() async throws {
        let server = try WebSocketTestServer(tls: true) { connection in
            try connection.close(code: 4014, reason: "Disallowed intent(s).")
        }
        defer { server.stop() }
        let client = try await WebSocketClient.connect(to: server.url, options: options(caFile: server.caFilePath))
        let error = await #expect(throws: WebSocketError.self) { try await client.receive() }
        #expect(error?.closeCode == 4014)
        #expect(client.serverCloseFrame == WebSocketCloseFrame(code: 4014, reason: "Disallowed intent(s)."))
    }

    @Test func droppedTLSConnectionIsALostConnection() async throws {
        let server = try WebSocketTestServer(tls: true) { connection in connection.drop() }
        defer { server.stop() }
        let client = try await WebSocketClient.connect(to: server.url, options: options(caFile: server.caFilePath))
        let error = await #expect(throws: WebSocketError.self) { try await client.receive() }
        #expect(error?.closeCode == 1006)
    }
}
