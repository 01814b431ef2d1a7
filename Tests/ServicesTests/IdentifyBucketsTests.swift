import DatabaseTestTraits
import Foundation
import Storage
import Testing
import TestSupport
@testable import Services

/// Two `clanbot run` processes reserving Discord's identify buckets in one database (issue 15): each "process" is
/// an `IdentifyBuckets` over a `Store` of its own, on SQLite and on the test PostgreSQL, with time on a `ManualClock`.
@Suite(.databaseTests) struct IdentifyBucketsTests {
    struct TwoProcesses {
        let fixture: ServicesFixture
        let clock = ManualClock(start: Date(epochMilliseconds: 1_800_000_000_000))
        let one: IdentifyBuckets
        let two: IdentifyBuckets

        init(_ backend: TestDatabaseBackend) async throws {
            fixture = try await ServicesFixture(backend)
            one = IdentifyBuckets(store: fixture.store, holder: "machine-a/1", time: .clock(clock))
            two = IdentifyBuckets(store: try await Store(path: fixture.path), holder: "machine-b/2", time: .clock(clock))
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func theSecondProcessWaitsUntilTheFirstsFiveSecondsPass(_ backend: TestDatabaseBackend) async throws {
        let processes = try await TwoProcesses(backend)
        defer { processes.fixture.remove() }
        let (one, two, clock) = (processes.one, processes.two, processes.clock)
        #expect(try await one.reserve(bucket: 0, interval: .seconds(5)) == .reserved)
        #expect(try await two.reserve(bucket: 0, interval: .seconds(5)) == .held(by: "machine-a/1", wait: .seconds(5)))
        clock.advance(by: .milliseconds(4_999))
        #expect(try await two.reserve(bucket: 0, interval: .seconds(5)) == .held(by: "machine-a/1", wait: .milliseconds(1)))
        clock.advance(by: .milliseconds(1))
        #expect(try await two.reserve(bucket: 0, interval: .seconds(5)) == .reserved)
        #expect(try await one.reserve(bucket: 0, interval: .seconds(5)) == .held(by: "machine-b/2", wait: .seconds(5)))
    }

    @Test(arguments: TestDatabaseBackend.all) func differentBucketsBothProceed(_ backend: TestDatabaseBackend) async throws {
        let processes = try await TwoProcesses(backend)
        defer { processes.fixture.remove() }
        async let first = processes.one.reserve(bucket: 0, interval: .seconds(5))
        async let second = processes.two.reserve(bucket: 1, interval: .seconds(5))
        #expect(try await [first, second] == [.reserved, .reserved])
    }

    @Test(arguments: TestDatabaseBackend.all) func ofTwoProcessesAskingAtOnceExactlyOneGetsTheBucket(_ backend: TestDatabaseBackend) async throws {
        let processes = try await TwoProcesses(backend)
        defer { processes.fixture.remove() }
        for bucket in 0..<8 {
            async let first = processes.one.reserve(bucket: bucket, interval: .seconds(5))
            async let second = processes.two.reserve(bucket: bucket, interval: .seconds(5))
            let answers = try await [first, second]
            #expect(answers.filter { $0 == .reserved }.count == 1, "bucket \(bucket): \(answers)")
            #expect(answers.contains(.held(by: "machine-a/1", wait: .seconds(5))) || answers.contains(.held(by: "machine-b/2", wait: .seconds(5))))
        }
    }
}
