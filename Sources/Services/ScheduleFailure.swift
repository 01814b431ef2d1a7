import Foundation

/// A scheduled slot that could not start, for the officers to hear about (`schedule.failed`).
///
/// What counts as a failure: the batch could not be started (the clan has no active members, a storage
/// error, any other error from starting it) and a stored schedule that can no longer be read (it is then
/// disabled). What does not: the daily cap already reached, a batch of the clan already running (its
/// members are being refreshed anyway) and another process having run the slot. Those are "skipped",
/// recorded on the schedule and logged, but nobody is paged for them.
public struct ScheduleFailure: Sendable, Equatable {
    public let clanID: Int64
    /// The `next_run_at` the run was due at.
    public let slot: Date
    /// A sentence for people, also stored as the schedule's `last_error`.
    public let reason: String
    /// True when the schedule was turned off because it cannot run again as stored.
    public let scheduleDisabled: Bool

    public init(clanID: Int64, slot: Date, reason: String, scheduleDisabled: Bool = false) {
        self.clanID = clanID
        self.slot = slot
        self.reason = reason
        self.scheduleDisabled = scheduleDisabled
    }
}
