import DatabaseTestTraits
import Foundation
import Testing
import TestSupport
@testable import Storage

/// The identify buckets every process on a database shares (migration 11), on both engines.
@Suite(.databaseTests) struct IdentifyBucketRepositoryTests {
    static let t0 = Date(epochMilliseconds: 1_800_000_000_000)

    static func at(_ milliseconds: Int64) -> IdentifyBucketTime {
        .at(Date(epochMilliseconds: t0.epochMilliseconds + milliseconds))
    }

    @Test(arguments: TestDatabaseBackend.all) func aBucketIsHeldForTheIntervalThenFreeAgain(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let buckets = db.identifyBuckets
        #expect(try buckets.reserve(bucket: 0, interval: .seconds(5), holder: "a", time: Self.at(0)) == .reserved)
        #expect(try buckets.row(bucket: 0)?.nextAllowedAt == Date(epochMilliseconds: Self.t0.epochMilliseconds + 5_000))
        #expect(try buckets.row(bucket: 0)?.holder == "a")
        #expect(try buckets.reserve(bucket: 0, interval: .seconds(5), holder: "b", time: Self.at(1_500)) == .held(by: "a", wait: .milliseconds(3_500)))
        #expect(try buckets.reserve(bucket: 0, interval: .seconds(5), holder: "b", time: Self.at(4_999)) == .held(by: "a", wait: .milliseconds(1)))
        // Another bucket is not held by it.
        #expect(try buckets.reserve(bucket: 1, interval: .seconds(5), holder: "b", time: Self.at(1_500)) == .reserved)
        // Once the 5 s have passed the bucket is free: a process that stopped holds nothing longer.
        #expect(try buckets.reserve(bucket: 0, interval: .seconds(5), holder: "b", time: Self.at(5_000)) == .reserved)
        #expect(try buckets.row(bucket: 0)?.holder == "b")
        #expect(try buckets.reserve(bucket: 0, interval: .seconds(5), holder: "a", time: Self.at(6_000)) == .held(by: "b", wait: .seconds(4)))
    }

    /// Three processes asking for three buckets in a seeded random order and pace: a bucket is never reserved
    /// within 5 s of its last reservation, a refusal always names the holder and the exact time left, and a bucket
    /// whose 5 s have passed is always given.
    @Test(arguments: TestDatabaseBackend.all) func randomAskingNeverReservesABucketTwiceWithinTheInterval(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        var random = SeededGenerator(seed: 0x1D_E471F7)
        var now: Int64 = 0
        var last: [Int: (at: Int64, holder: String)] = [:]
        var reservations = 0
        for _ in 0..<300 {
            now += Int64.random(in: 0...2_000, using: &random)
            let bucket = Int.random(in: 0..<3, using: &random)
            let holder = ["a", "b", "c"].randomElement(using: &random)!
            let answer = try db.identifyBuckets.reserve(bucket: bucket, interval: .seconds(5), holder: holder, time: Self.at(now))
            if let previous = last[bucket], now - previous.at < 5_000 {
                #expect(answer == .held(by: previous.holder, wait: .milliseconds(previous.at + 5_000 - now)), "at \(now)")
            } else {
                #expect(answer == .reserved, "at \(now)")
                last[bucket] = (now, holder)
                reservations += 1
            }
        }
        #expect(reservations > 50)
    }

    @Test(arguments: TestDatabaseBackend.all) func aReservationFurtherAheadThanOneIntervalIsTakenOver(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        // Left by a machine whose clock ran an hour fast: no working clock can be told to wait that long.
        #expect(try db.identifyBuckets.reserve(bucket: 3, interval: .seconds(5), holder: "fast", time: Self.at(3_600_000)) == .reserved)
        #expect(try db.identifyBuckets.reserve(bucket: 3, interval: .seconds(5), holder: "b", time: Self.at(0)) == .reserved)
        #expect(try db.identifyBuckets.row(bucket: 3)?.holder == "b")
    }

    @Test(arguments: TestDatabaseBackend.all) func theDatabasesOwnClockJudgesWhenAsked(_ backend: TestDatabaseBackend) throws {
        let directory = try TemporaryDirectory(backend)
        let db = try directory.migratedDatabase()
        let before = Date()
        #expect(try db.identifyBuckets.reserve(bucket: 0, interval: .seconds(5), holder: "a", time: .database) == .reserved)
        let after = Date()
        // The test's machine is the database's (a local file or the loopback cluster): its row is 5 s after now.
        let next = try #require(try db.identifyBuckets.row(bucket: 0)).nextAllowedAt
        #expect(next.timeIntervalSince(before) >= 4.9 && next.timeIntervalSince(after) <= 5.1, "\(before) \(next) \(after)")
        guard case .held(by: "a", let wait) = try db.identifyBuckets.reserve(bucket: 0, interval: .seconds(5), holder: "b", time: .database) else {
            Issue.record("the bucket was free again at once")
            return
        }
        #expect(wait > .zero && wait <= .seconds(5))
    }
}
