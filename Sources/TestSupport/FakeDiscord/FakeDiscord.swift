import Foundation
import Transport

/// A fake Discord on loopback: a TLS WebSocket gateway (certificate generated for the test) running a
/// script per connection, and a plain-HTTP REST API serving `GET /api/v10/gateway/bot` plus whatever routes
/// a test adds to `router`. Point the client at `apiBase` and trust `caFilePath`.
///
///     let discord = try FakeDiscord { connection in
///         try connection.sendHello(heartbeatInterval: 500)
///         let identify = try connection.next(op: 2)
///         try connection.sendReady(sessionID: "s1")
///         try connection.serve(for: .seconds(2))
///     }
public final class FakeDiscord: Sendable {
    public let gateway: WebSocketTestServer
    public let rest: HTTPTestServer
    public let router: HTTPTestRouter
    private let recorder: FakeGatewayRecorder
    private let gatewayBotOverride = LockedValue<HTTPTestResponse?>(nil)

    /// - Parameters:
    ///   - shards: the shard count `GET /gateway/bot` recommends.
    ///   - remaining, total, maxConcurrency: its `session_start_limit`.
    ///   - restOverTLS: serve REST over HTTPS too (as Discord does), with the gateway's certificate, so the
    ///     client's transfer threads run OpenSSL.
    ///   - script: what the gateway does on each connection (`connection.index` tells which).
    public init(
        shards: Int = 1, total: Int = 1000, remaining: Int = 1000, maxConcurrency: Int = 1, restOverTLS: Bool = false,
        script: @escaping @Sendable (FakeGatewayConnection) throws -> Void
    ) throws {
        let recorder = FakeGatewayRecorder()
        self.recorder = recorder
        let ownURL = LockedValue("")
        let certificates = try TestCertificates.generate()
        gateway = try WebSocketTestServer(certificates: certificates) { socket in
            try script(FakeGatewayConnection(socket: socket, recorder: recorder, gatewayURL: ownURL.value))
        }
        let router = HTTPTestRouter()
        self.router = router
        rest = try HTTPTestServer(tls: restOverTLS ? try TLSServerWrapper(certificates: certificates) : nil, router: router)
        let url = "wss://127.0.0.1:\(gateway.port)"
        ownURL.withLock { $0 = url }
        let body = #"{"url":"\#(url)","shards":\#(shards),"session_start_limit":{"total":\#(total),"remaining":\#(remaining),"reset_after":14400000,"max_concurrency":\#(maxConcurrency)}}"#
        let override = gatewayBotOverride
        router.route("GET", "/api/v10/gateway/bot") { _ in override.value ?? .json(body) }
    }

    deinit {
        gateway.stop()
        rest.stop()
    }

    /// Makes `GET /gateway/bot` answer `response` instead (e.g. a 401 for a bad token).
    public func answerGatewayBot(with response: HTTPTestResponse) {
        gatewayBotOverride.withLock { $0 = response }
    }

    /// The gateway URL `GET /gateway/bot` hands out (also fine as a `resume_gateway_url`).
    public var gatewayURL: String { "wss://127.0.0.1:\(gateway.port)" }
    public var apiBase: String { rest.baseURL + "/api/v10" }
    /// The CA that signed the gateway's certificate: the client's SSL_CERT_FILE.
    public var caFilePath: String? { gateway.caFilePath }

    /// Every payload the client sent on the gateway, in order.
    public var received: [FakeGatewayPayload] { recorder.all }
    /// Every REST request the client made.
    public var restRequests: [HTTPTestRequest] { rest.requests }
    public var gatewayErrors: [String] { gateway.handlerErrors }
}
