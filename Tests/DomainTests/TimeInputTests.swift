import Foundation
import Testing
@testable import Domain

@Suite struct TimeInputTests {
    let london = TimeZone(identifier: "Europe/London") ?? .gmt

    @Test func isoTimesWithAndWithoutFractionsAreInstants() {
        #expect(TimeInput.parse("2026-12-01T18:00:00Z", zone: london) == Date(timeIntervalSince1970: 1_796_148_000))
        #expect(TimeInput.parse("2026-12-01T18:00:00.500Z", zone: london) == Date(timeIntervalSince1970: 1_796_148_000.5))
    }

    @Test func aPlainDateIsMidnightInTheGivenZone() {
        // 1 July 2026 00:00 in London is 30 June 23:00 UTC (British Summer Time).
        #expect(TimeInput.parse("2026-07-01", zone: london) == Date(timeIntervalSince1970: 1_782_860_400))
        #expect(TimeInput.parse("2026-07-01", zone: .gmt) == Date(timeIntervalSince1970: 1_782_864_000))
    }

    @Test func anythingElseIsRefused() {
        for text in ["", "tomorrow", "2026-13-01", "2026-12-01 18:00", "01/12/2026", "2026-12-1"] {
            #expect(TimeInput.parse(text, zone: london) == nil, "\(text)")
        }
    }
}
