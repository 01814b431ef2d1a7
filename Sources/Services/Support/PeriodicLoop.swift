import Domain
import Foundation

/// The shape of every background loop of `clanbot run` (the scheduler, the contest loop, the announcements
/// channel): one pass, then sleep until the next thing is due, but never longer than `pollEvery`, until the
/// task is cancelled. A pass handles its own errors; the loop only keeps time, on `clock` (the system's in
/// production; tests move a `ManualClock` and so decide when the next pass runs). `nextDue` is asked with the
/// time the wait is measured from; a time not after it (something overdue) waits the full `pollEvery`.
public enum PeriodicLoop {
    /// Runs on the caller's actor (`isolation`), so a pass may use the actor's state as it did inline.
    /// `passFirst` false: the first pass comes after `pollEvery` (the caller has just done one itself).
    public static func run(isolation: isolated (any Actor)? = #isolation, clock: any WallClock, pollEvery: Duration,
                           passFirst: Bool = true, nextDue: (_ now: Date) async -> Date? = { _ in nil },
                           pass: () async -> Void) async {
        if !passFirst { try? await clock.sleep(for: pollEvery) }
        while !Task.isCancelled {
            await pass()
            let time = clock.date
            let wait = self.wait(until: await nextDue(time), now: time, atMost: pollEvery)
            try? await clock.sleep(for: wait)
        }
    }

    /// How long to sleep: until `next` (a millisecond past it) when it is sooner than `atMost`.
    static func wait(until next: Date?, now: Date, atMost: Duration) -> Duration {
        guard let next, next > now else { return atMost }
        let until = Duration.milliseconds(Int64(next.timeIntervalSince(now) * 1000) + 1)
        return min(until, atMost)
    }
}
