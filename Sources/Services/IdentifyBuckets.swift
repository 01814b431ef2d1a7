import Domain
import Foundation
import Storage

/// Discord's identify buckets as every `clanbot run` sharing the database sees them (issue 15): before a shard
/// identifies, its process reserves the shard's bucket here, so shards `0..3/8` on one machine and `4..7/8` on
/// another never identify in one bucket within 5 seconds of each other. The composition root hands it to the
/// gateway (which only knows the question, `Discord.IdentifyCoordinator`); on one process it is harmless.
public struct IdentifyBuckets: Sendable {
    /// Whose clock judges a reservation.
    public enum Time: Sendable {
        /// The database's (see `IdentifyBucketTime.database`): what `clanbot run` uses, so machines whose clocks
        /// disagree still keep the 5 seconds.
        case database
        /// A `WallClock`: tests give a `ManualClock` and move it themselves.
        case clock(any WallClock)
    }

    let store: Store
    /// This process, as written in `identify_buckets.holder`.
    let holder: String
    let time: Time

    public init(store: Store, holder: String = BatchSnapshotService.processOwner, time: Time = .database) {
        self.store = store
        self.holder = holder
        self.time = time
    }

    /// Takes `bucket` for one identify, or says which process holds it and for how long. Throws the database's
    /// error when the reservation cannot be made; the caller decides what to do without it.
    public func reserve(bucket: Int, interval: Duration) async throws -> IdentifyBucketReservation {
        let at: IdentifyBucketTime = switch time {
        case .database: .database
        case .clock(let clock): .at(clock.date)
        }
        let holder = holder
        return try await store.write { db in
            try db.identifyBuckets.reserve(bucket: bucket, interval: interval, holder: holder, time: at)
        }
    }
}
