import Foundation

/// Wall-clock arithmetic in one IANA time zone, done on plain integers so that DST gaps and
/// repeated hours are handled explicitly instead of by whatever `Calendar` guesses.
///
/// A "local second" counts seconds since 1970-01-01 00:00 *on the wall clock* of the zone.
struct LocalClock: Sendable {
    let timeZone: TimeZone

    /// The wall-clock second showing at `instant`.
    func localSecond(at instant: Date) -> Int64 {
        let utc = Int64(floor(instant.timeIntervalSince1970))
        return utc + Int64(timeZone.secondsFromGMT(for: instant))
    }

    /// The local day number (days since 1970-01-01 on the wall clock) showing at `instant`.
    func localDay(at instant: Date) -> Int64 {
        Self.floorDiv(localSecond(at: instant), 86_400)
    }

    /// The instant a wall-clock time first shows. A time skipped by a DST gap maps to the end of
    /// the gap (the next valid time); a time shown twice maps to its first occurrence.
    func instant(localSecond local: Int64) -> Date {
        var offsets: [Int] = []
        for probe in [local - 86_400, local, local + 86_400] {
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(probe)))
            if !offsets.contains(offset) { offsets.append(offset) }
        }
        let valid = offsets
            .map { local - Int64($0) }
            .filter { utc in localSecond(at: Date(timeIntervalSince1970: TimeInterval(utc))) == local }
        if let first = valid.min() { return Date(timeIntervalSince1970: TimeInterval(first)) }
        // In a gap: the clock jumped over `local`. The transition itself is the next valid time.
        let earliest = local - Int64(offsets.max() ?? 0)
        let start = Date(timeIntervalSince1970: TimeInterval(earliest - 1))
        if let transition = timeZone.nextDaylightSavingTimeTransition(after: start) { return transition }
        return Date(timeIntervalSince1970: TimeInterval(local - Int64(offsets.min() ?? 0)))
    }

    /// The instant the local day `day` begins (its first valid wall-clock time).
    func startOfDay(_ day: Int64) -> Date { instant(localSecond: day * 86_400) }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Year, month (1–12), day (1–31) of a day number (Howard Hinnant's civil_from_days).
    static func civil(fromDay days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// The day number of a civil date (days_from_civil).
    static func day(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday.
    static func weekday(ofDay days: Int64) -> Int {
        Int(((days % 7) + 7 + 4) % 7)
    }
}
