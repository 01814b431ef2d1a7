import Domain
import Foundation
import Storage

/// Something that happened to a clan that people outside the command that caused it should hear about.
/// Services post these on `ClanEvents` as they happen; announcers (`ClanEventSubscriber`) turn them into
/// webhook posts today and channel messages later. A service never knows who listens.
public enum ClanEvent: Sendable {
    /// A snapshot batch closed, whoever started it (an officer, the schedule, a contest boundary, recovery).
    case batchFinished(BatchRun)
    /// A scheduled slot could not start (see `ScheduleFailure` for what counts).
    case scheduleFailed(ScheduleFailure)
    /// A contest published a step: activation, end, draw or cancellation.
    case contest(ContestAnnouncement)
    /// Members joined, left or were renamed, or a hardcore ironman died: new rows in the clan's activity log
    /// (`clan_activity`), which announcers read from there (so nothing is lost when a process stops first).
    case activity(clanID: Int64)

    /// For log lines: what happened, in the webhook's words where there is one.
    public var name: String {
        switch self {
        case .batchFinished: "snapshot.finished"
        case .scheduleFailed: "schedule.failed"
        case .contest(let announcement): announcement.webhookEvent?.rawValue ?? "contest.cancelled"
        case .activity: "clan.activity"
        }
    }

    /// The clan it happened to.
    public var clanID: Int64 {
        switch self {
        case .batchFinished(let run): run.clanID
        case .scheduleFailed(let failure): failure.clanID
        case .contest(let announcement): announcement.contest.clanID
        case .activity(let clanID): clanID
        }
    }
}

/// Hears every clan event, in the order they were posted. `handle` may take its time (a slow webhook);
/// the other subscribers hear of the same event meanwhile, and the next event waits for all of them.
public protocol ClanEventSubscriber: Sendable {
    func handle(_ event: ClanEvent) async
}
