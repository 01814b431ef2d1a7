import Foundation
import Testing
@testable import Domain

@Suite struct ISO8601TimeTests {
    @Test func wholeSecondsAreUTCAndRoundedDownFromTheMillisecond() {
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: 1_795_993_200)) == "2026-11-29T23:00:00Z")
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: 1_796_148_000.999)) == "2026-12-01T18:00:00Z")
        // Foundation's formatter takes the nearest millisecond first; texts written before read the same.
        #expect(ISO8601Time.string(Date(timeIntervalSince1970: 1_796_148_000.9996)) == "2026-12-01T18:00:01Z")
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: -0.0004)) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: -0.0006)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func millisecondsAreKeptFromTimesMadeOfWholeMilliseconds() {
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: 1_796_148_000.123)) == "2026-12-01T18:00:00.123Z")
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: 1_796_148_000.5)) == "2026-12-01T18:00:00.500Z")
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: 1_796_148_000)) == "2026-12-01T18:00:00.000Z")
        #expect(ISO8601Time.stringWithFractionalSeconds(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        for milliseconds in [Int64(1_796_148_000_001), 1_796_148_000_007, 1_700_000_000_999, 253_402_300_799_999] {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(ISO8601Time.stringWithFractionalSeconds(date).hasSuffix(".\(String(milliseconds % 1000).leftPadded(3))Z"))
        }
    }

    /// The hand-written text is what Foundation's formatter writes (the draw's published texts were written with it)
    /// for whole-millisecond and whole-second times of 1900–2400, sampled (the times clanbot stores). An arbitrary
    /// fraction exactly between two milliseconds may round the other way, which no stored time has.
    @Test func theTextIsTheFormattersForSampledTimes() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...13_569_465_600_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(ISO8601Time.stringWithFractionalSeconds(date) == formatter.string(from: date), "\(milliseconds) ms")
            let seconds = Date(timeIntervalSince1970: Double(milliseconds / 1000))
            #expect(ISO8601Time.string(seconds) == plain.string(from: seconds), "\(milliseconds / 1000) s")
        }
    }

    @Test func everyDayOfFourCenturiesIsTheCalendarsDay() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        for day in stride(from: Int64(-25_567), through: 146_097 - 25_567, by: 1) {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(CivilDate(daysSince1970: day) == CivilDate(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0), "day \(day)")
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
