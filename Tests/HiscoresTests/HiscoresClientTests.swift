@testable import Domain
import Foundation
@testable import Hiscores
import TestSupport
import Testing
@testable import Transport

/// A client against a fresh fake hiscores server, with retries fast enough for tests.
private func makeClient(
    _ server: FakeHiscoresServer, limiter: RateLimiter = RateLimiter(requestsPerSecond: 1_000),
    timeout: Duration = .seconds(5), maxAttempts: Int = 4
) throws -> HiscoresClient {
    HiscoresClient(
        http: try HTTPClient(), rateLimiter: limiter,
        configuration: .init(
            baseURL: server.baseURL + "/", timeout: timeout, maxAttempts: maxAttempts,
            retryDelay: .milliseconds(5), maxRetryDelay: .milliseconds(20)))
}

@Suite struct HiscoresClientTests {
    @Test func fetchesANormalPlayer() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 7)
        server.set("Lynx Titan", on: .regular, player)
        let client = try makeClient(server)

        let fetch = try await client.fetch("lynx_titan")
        #expect(fetch.record == player.record)
        #expect(fetch.rsn.display == "lynx_titan")
        #expect(fetch.board == .regular)
        #expect(fetch.attempts == 1)
        #expect(fetch.latencyMs >= 0 && fetch.totalMs >= fetch.latencyMs)

        let request = try #require(server.requests.first)
        #expect(request.target == "/m=hiscore_oldschool/index_lite.json?player=lynx_titan")
    }

    @Test func namesWithSpacesArePercentEncoded() async throws {
        let server = try FakeHiscoresServer()
        server.set("iron man 1", on: .ironman, .typical(seed: 3))
        let client = try makeClient(server)
        _ = try await client.fetch("Iron Man 1", board: .ironman)
        #expect(server.requests.first?.target == "/m=hiscore_oldschool_ironman/index_lite.json?player=Iron%20Man%201")
    }

    @Test func everyBoardHasItsPath() throws {
        let client = HiscoresClient(
            http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: 1),
            configuration: .init(baseURL: "https://secure.runescape.com"))
        let rsn = try RSN("Zezima")
        #expect(client.url(for: rsn, board: .hardcore)
            == "https://secure.runescape.com/m=hiscore_oldschool_hardcore_ironman/index_lite.json?player=Zezima")
        for board in HiscoresBoard.allCases {
            #expect(client.url(for: rsn, board: board).contains("/m=\(board.rawValue)/index_lite.json?player=Zezima"))
        }
    }

    @Test func anUnknownPlayerIsNotOnTheHiscoresWithoutRetrying() async throws {
        let server = try FakeHiscoresServer()
        let client = try makeClient(server)
        await #expect(throws: HiscoresError.notOnHiscores(name: "Nobody Here", board: .regular)) {
            try await client.fetch("Nobody Here")
        }
        #expect(server.requests.count == 1)
        #expect(HiscoresError.notOnHiscores(name: "x", board: .regular).description.contains("not on the regular hiscores"))
    }

    @Test func serverErrorsAreRetriedUntilSuccess() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 9)
        server.script("Flaky", on: .regular, [.status(503), .text("oops", status: 500), .json(player.json)])
        let client = try makeClient(server)
        let fetch = try await client.fetch("Flaky")
        #expect(fetch.attempts == 3)
        #expect(fetch.record == player.record)
        #expect(server.requests.count == 3)
    }

    @Test func persistentServerErrorsGiveUpAfterMaxAttempts() async throws {
        let server = try FakeHiscoresServer()
        server.script("Down", on: .regular, [.status(502)])
        let client = try makeClient(server, maxAttempts: 3)
        await #expect(throws: HiscoresError.unavailable(status: 502, board: .regular, attempts: 3)) {
            try await client.fetch("Down")
        }
        #expect(server.requests.count == 3)
    }

    @Test func otherStatusesAreNotRetried() async throws {
        let server = try FakeHiscoresServer()
        server.script("Limited", on: .regular, [.status(429)])
        let client = try makeClient(server)
        await #expect(throws: HiscoresError.unavailable(status: 429, board: .regular, attempts: 1)) {
            try await client.fetch("Limited")
        }
        #expect(server.requests.count == 1)
    }

    @Test func aSlowResponseTimesOutAndIsRetried() async throws {
        let server = try FakeHiscoresServer()
        server.script("Slow", on: .regular, [HTTPTestResponse.json("{}").delayed(by: .seconds(2))])
        let client = try makeClient(server, timeout: .milliseconds(150), maxAttempts: 2)
        await #expect {
            try await client.fetch("Slow")
        } throws: { error in
            guard case .transport(let http, let attempts) = error as? HiscoresError else { return false }
            return http.isTimeout && attempts == 2
        }
        #expect(server.requests.count == 2)
    }

    @Test func aTimeoutThenSuccessRecovers() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 11)
        server.script("Once Slow", on: .regular, [HTTPTestResponse.json(player.json).delayed(by: .seconds(6)), .json(player.json)])
        // 1.5 s, not less: the fast second answer must not time out too on a loaded machine.
        let client = try makeClient(server, timeout: .milliseconds(1500))
        let fetch = try await client.fetch("Once Slow")
        #expect(fetch.attempts == 2)
        #expect(fetch.record == player.record)
    }

    @Test func malformedJSONIsATypedErrorAndNotRetried() async throws {
        let server = try FakeHiscoresServer()
        server.script("Broken", on: .regular, [.json("{\"skills\":[{\"name\":\"Overall\",")])
        let client = try makeClient(server)
        await #expect {
            try await client.fetch("Broken")
        } throws: { error in
            if case .malformedResponse(.regular, let parse) = error as? HiscoresError { return parse.offset > 0 }
            return false
        }
        #expect(server.requests.count == 1)
    }

    @Test func anActivityNeverSeenBeforeIsKept() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 5).with(activity: "The Boss From Next Week", score: 17, rank: 321)
        server.set("Early Bird", on: .regular, player)
        let client = try makeClient(server)
        let record = try await client.fetch("Early Bird").record
        let new = try #require(record.activity(named: "The Boss From Next Week"))
        #expect(new.score == 17 && new.rank == 321)
        #expect(record.activities.count == HiscoresFixture.activityNames.count + 1)
        #expect(ActivityCategory(activityName: new.name) == .boss)
    }

    @Test(arguments: ["", "way too long name", "bad.name", "Zézima", "___"])
    func invalidNamesAreRejectedBeforeAnyRequest(name: String) async throws {
        let server = try FakeHiscoresServer()
        let client = try makeClient(server)
        await #expect {
            try await client.fetch(name)
        } throws: { error in
            if case .invalidName(let reason) = error as? HiscoresError { return !reason.description.isEmpty }
            return false
        }
        await #expect {
            try await client.resolveAccountType(name)
        } throws: { error in
            if case .invalidName = error as? HiscoresError { return true }
            return false
        }
        #expect(server.requests.isEmpty)
    }

    @Test func backoffDoublesUpToTheCap() throws {
        let client = HiscoresClient(
            http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: 1),
            configuration: .init(retryDelay: .seconds(1), maxRetryDelay: .seconds(5)))
        #expect((1...5).map { client.backoff(afterAttempt: $0) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }
}
