import Foundation
import Testing
@testable import Services
@testable import Storage

/// The in-process caches of boards, reports and records have limits that hold whatever is asked.
@Suite struct BoundedMemoTests {
    @Test func neverHoldsMoreThanItsEntriesAndLetsTheLeastRecentlyUsedGo() {
        var memo = BoundedMemo<Int, String>(maxEntries: 4, maxRows: 1_000)
        for key in 0..<100 {
            memo.remember("board \(key)", for: key, rows: 10)
            #expect(memo.count <= 4)
            #expect(memo.rows <= 1_000)
            if key >= 1 { _ = memo.value(for: 0) }  // 0 stays in use throughout
        }
        #expect(memo.count == 4)
        #expect(memo.value(for: 0) == "board 0")
        #expect(memo.value(for: 99) == "board 99")
        #expect(memo.value(for: 1) == nil)
    }

    @Test func neverHoldsMoreRowsThanItsBudget() {
        var memo = BoundedMemo<String, Int>(maxEntries: 100, maxRows: 1_000)
        for key in 0..<50 {
            memo.remember(key, for: "k\(key)", rows: 300)
            #expect(memo.rows <= 1_000)
        }
        #expect(memo.count == 3)
        #expect(memo.rows == 900)
        memo.remember(0, for: "huge", rows: 1_001)  // bigger than the budget: not kept, and nothing is evicted for it
        #expect(memo.value(for: "huge") == nil)
        #expect(memo.count == 3)
    }

    @Test func replacingAValueCountsItsRowsOnce() {
        var memo = BoundedMemo<String, Int>(maxEntries: 10, maxRows: 100)
        memo.remember(1, for: "a", rows: 60)
        memo.remember(2, for: "a", rows: 70)
        #expect(memo.count == 1)
        #expect(memo.rows == 70)
        #expect(memo.value(for: "a") == 2)
        memo.forgetAll()
        #expect(memo.count == 0 && memo.rows == 0)
    }

    @Test func theServicesCachesAreBounded() {
        let memo = AggregateMemo<Int>()
        #expect(memo.count == 0)
        var bounded = AggregateMemo<Int>(maxEntries: 2, maxRows: 100)
        let entry = { (id: Int64) in
            AggregateCacheRepository.Entry(id: id, generatedAt: Date(timeIntervalSince1970: 0), start: Date(timeIntervalSince1970: 0),
                                           end: Date(timeIntervalSince1970: 86_400))
        }
        for id in 0..<10 { bounded.remember(Int(id), rows: 10, for: "k\(id)", entry: entry(Int64(id))) }
        #expect(bounded.count == 2)
        #expect(bounded.value(for: "k9", matching: entry(9)) == 9)
        #expect(bounded.value(for: "k9", matching: entry(8)) == nil)  // another row than the one held
    }
}
