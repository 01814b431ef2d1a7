import Foundation
import TestSupport
import Testing
@testable import Transport

/// The connection filter sees the address each new connection goes to, after name resolution, before any
/// socket is opened; a refusal fails the request with `.addressRefused` and the server sees nothing.
@Suite struct HTTPConnectionFilterTests {
    @Test func theFilterSeesTheResolvedAddressAndCanRefuseIt() async throws {
        let server = try HTTPTestServer { _ in .status(200) }
        let seen = LockedValue<[[UInt8]]>([])
        let client = try HTTPClient(configuration: .init(
            connectionFilter: { address in
                seen.withLock { $0.append(address.bytes) }
                return "no thanks"
            },
            resolve: ["relay.clan.test:\(server.port):127.0.0.1"]))
        await #expect {
            try await client.send(.get("http://relay.clan.test:\(server.port)/x"))
        } throws: { error in
            (error as? HTTPError) == .addressRefused(message: "no thanks")
        }
        #expect(seen.value == [[127, 0, 0, 1]])
        #expect(server.connectionCount == 0)
    }

    @Test func anAllowedAddressConnectsAsUsual() async throws {
        let server = try HTTPTestServer { _ in .text("hello") }
        let client = try HTTPClient(configuration: .init(connectionFilter: { _ in nil }))
        let response = try await client.send(.get(server.baseURL + "/x"))
        #expect(response.text == "hello")
    }
}
