@testable import Domain
import Foundation
@testable import Hiscores
import TestSupport
import Testing
@testable import Transport

@Suite struct AccountTypeResolutionTests {
    private func client(_ server: FakeHiscoresServer) throws -> HiscoresClient {
        HiscoresClient(
            http: try HTTPClient(), rateLimiter: RateLimiter(requestsPerSecond: 1_000),
            configuration: .init(baseURL: server.baseURL))
    }

    @Test func anIronmanAlsoOnTheIronmanBoard() async throws {
        let server = try FakeHiscoresServer()
        let iron = HiscoresFixture.Player.typical(seed: 21)
        server.set("Iron Bob", on: .regular, iron)
        server.set("Iron Bob", on: .ironman, iron)
        let check = try await client(server).resolveAccountType("Iron Bob")
        #expect(check.type == .ironman)
        #expect(check.boardsAsked == [.regular, .ironman, .hardcore, .ultimate])
        #expect(check.regularRecord == iron.record)
        #expect(server.requests(on: .hardcore).count == 1)
    }

    @Test func aRegularAccountNeedsTwoRequests() async throws {
        let server = try FakeHiscoresServer()
        server.set("Main Bob", on: .regular, .typical(seed: 22))
        let check = try await client(server).resolveAccountType("Main Bob")
        #expect(check.type == .regular)
        #expect(check.boardsAsked == [.regular, .ironman])
        #expect(server.requests.count == 2)
    }

    @Test func hardcoreAliveAndDead() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 23)
        for board in [HiscoresBoard.regular, .ironman, .hardcore] { server.set("Hc Alive", on: board, player) }
        #expect(try await client(server).resolveAccountType("HC alive").type == .hardcore)

        // Died: the hardcore board froze at an earlier total.
        server.set("Hc Dead", on: .regular, player)
        server.set("Hc Dead", on: .ironman, player)
        server.set("Hc Dead", on: .hardcore, player.scalingXP(by: 0.8))
        #expect(try await client(server).resolveAccountType("hc_dead").type == .ironman)
    }

    @Test func ultimateAndDeironed() async throws {
        let server = try FakeHiscoresServer()
        let player = HiscoresFixture.Player.typical(seed: 24)
        server.set("Uim", on: .regular, player)
        server.set("Uim", on: .ironman, player)
        server.set("Uim", on: .ultimate, player)
        #expect(try await client(server).resolveAccountType("UIM").type == .ultimate)

        server.set("Ex Iron", on: .regular, player)
        server.set("Ex Iron", on: .ironman, player.scalingXP(by: 0.5))
        #expect(try await client(server).resolveAccountType("Ex Iron").type == .regular)
    }

    @Test func aLowLevelIronmanOnlyOnTheIronmanBoard() async throws {
        let server = try FakeHiscoresServer()
        server.set("Fresh Iron", on: .ironman, HiscoresFixture.Player.unranked.with(skill: "Attack", xp: 5_000))
        #expect(try await client(server).resolveAccountType("Fresh Iron").type == .ironman)
    }

    @Test func nobodyAnywhereIsNotOnTheHiscores() async throws {
        let server = try FakeHiscoresServer()
        await #expect(throws: HiscoresError.notOnHiscores(name: "Ghost", board: .regular)) {
            try await client(server).resolveAccountType("Ghost")
        }
        #expect(server.requests.count == 2)
    }

    @Test func otherFailuresPropagate() async throws {
        let server = try FakeHiscoresServer()
        server.set("Mid Outage", on: .regular, .typical(seed: 25))
        server.script("Mid Outage", on: .ironman, [.status(400)])
        await #expect(throws: HiscoresError.unavailable(status: 400, board: .ironman, attempts: 1)) {
            try await client(server).resolveAccountType("Mid Outage")
        }
    }
}
