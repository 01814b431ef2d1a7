import Domain
import Foundation
@testable import Hiscores
import TestSupport
import Testing
import Transport

@Suite struct RateLimitTests {
    /// The most slots inside any window of `length` starting at a slot.
    private func busiestWindow(_ slots: [ContinuousClock.Instant], length: Duration) -> Int {
        let sorted = slots.sorted()
        var best = 0
        var end = 0
        for start in sorted.indices {
            while end < sorted.count, sorted[end] < sorted[start] + length { end += 1 }
            best = max(best, end - start)
        }
        return best
    }

    @Test func slotsAreEvenlySpacedWhateverTheConcurrency() async {
        let limiter = RateLimiter(requestsPerSecond: 50)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<30 { group.addTask { _ = await limiter.reserve() } }
        }
        let slots = await limiter.grantedSlots
        #expect(slots.count == 30)
        for (earlier, later) in zip(slots, slots.dropFirst()) {
            #expect(later - earlier >= limiter.spacing)
        }
        #expect(busiestWindow(slots, length: .seconds(1)) <= 50)
    }

    @Test func twoClientsShareOneBudget() async throws {
        let server = try FakeHiscoresServer()
        let names = (0..<24).map { "Member \($0)" }
        for name in names { server.set(name, on: .regular, .typical(seed: UInt64(name.count))) }
        let limiter = RateLimiter(requestsPerSecond: 20)
        let http = try HTTPClient(configuration: .init(maxConcurrentTransfers: 8))
        let config = HiscoresClient.Configuration(baseURL: server.baseURL)
        let first = HiscoresClient(http: http, rateLimiter: limiter, configuration: config)
        let second = HiscoresClient(http: try HTTPClient(), rateLimiter: limiter, configuration: config)

        let fetched = try await withThrowingTaskGroup(of: String.self) { group in
            for (index, name) in names.enumerated() {
                let client = index.isMultiple(of: 2) ? first : second
                group.addTask { try await client.fetch(name).rsn.display }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(fetched) == Set(names))
        #expect(server.requests.count == 24)

        // Every request went through the one limiter, and no 1-second window got more than 20.
        let slots = await limiter.grantedSlots
        #expect(slots.count == 24)
        #expect(busiestWindow(slots, length: .seconds(1)) <= 20)
        #expect(busiestWindow(slots, length: .milliseconds(500)) <= 10)
    }

    @Test func aCancelledWaiterGivesUp() async throws {
        let limiter = RateLimiter(requestsPerSecond: 0.01)
        try await limiter.acquire()  // the first slot is now; the next is 100 s away
        let waiter = Task { try await limiter.acquire() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
