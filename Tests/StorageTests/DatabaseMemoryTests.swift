import Foundation
import Testing
import TestSupport
@testable import Storage

/// The page cache a burst of reads fills is handed back when the bot goes quiet, and reads work as before.
@Suite struct DatabaseMemoryTests {
    @Test func releasingMemoryEmptiesThePageCacheAndReadsStillWork() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Store(path: directory.path())
        try await store.write { db in
            try db.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT)")
            for i in 0..<2_000 { try db.execute("INSERT INTO t (i, s) VALUES (?, ?)", [i, String(repeating: "x", count: 200)]) }
        }
        let filled = try await store.read { db in
            _ = try db.scalar("SELECT sum(length(s)) FROM t", as: Int.self)
            return db.pageCacheBytes
        }
        #expect(filled > 100_000)  // 2,000 rows of 200 bytes: about 100 pages read
        await store.releaseMemory()
        let released = try await store.withoutTransaction { db in db.pageCacheBytes }
        #expect(released < filled / 4)
        #expect(try await store.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) } == 2_000)
        try await store.close()
        await store.releaseMemory()  // closed: nothing to release, and no failure
    }
}
