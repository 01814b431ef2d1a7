import Foundation
import Testing
import TestSupport
import Transport
@testable import Discord

/// A running `DiscordGateway` against the fake Discord's REST API, connecting through `connector`
/// (the fake's TLS WebSocket gateway unless a test passes the in-memory one), plus what it reported.
final class GatewayHarness: Sendable {
    let gateway: DiscordGateway
    /// Every status, in order, to await one by one.
    let statuses = AsyncMailbox<GatewayStatus>()
    let statusLog = LockedValue<[GatewayStatus]>([])
    let dispatches = LockedValue<[String]>([])
    let run: Task<Result<[ShardID: GatewaySession.StopReason], DiscordRESTError>, Never>

    init(_ discord: FakeDiscord, connector: (any GatewayConnector)? = nil, shards: ShardSelection? = nil,
         handler: (any InteractionHandler)? = nil) throws {
        // Quick REST retries: the outage test waits for the gateway's own retry warning.
        var restOptions = DiscordREST.Options()
        restOptions.retryBase = 0.05
        let rest = DiscordREST(token: "test-token", apiBase: discord.apiBase, transport: try HTTPClientTransport(caFile: nil), options: restOptions)
        var options = DiscordGateway.Options(token: "test-token", shards: shards)
        options.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        options.identifyBucketInterval = 0.4
        let statuses = self.statuses
        let statusLog = self.statusLog
        let dispatches = self.dispatches
        let interactions = handler.map { InteractionDispatcher(rest: rest, handler: $0) }
        let gateway = DiscordGateway(
            options: options, rest: rest, connector: connector ?? WebSocketGatewayConnector(caFile: discord.caFilePath),
            onStatus: { status in
                statusLog.withLock { $0.append(status) }
                statuses.send(status)
            },
            onDispatch: { _, dispatch in
                dispatches.withLock { $0.append(dispatch.name) }
                interactions?.dispatch(dispatch)
            }
        )
        self.gateway = gateway
        run = Task {
            do throws(DiscordRESTError) { return .success(try await gateway.run()) } catch { return .failure(error) }
        }
    }

    func stop() async -> [ShardID: GatewaySession.StopReason] {
        await gateway.stop()
        return (try? await run.value.get()) ?? [:]
    }

    /// The next status `match` accepts, skipping others.
    func status<T>(_ what: String, _ match: (GatewayStatus) -> T?) async throws -> T {
        try await statuses.next(what, match)
    }

    func ready() async throws {
        _ = try await status("READY") { if case .ready = $0 { true } else { nil } }
    }
}
