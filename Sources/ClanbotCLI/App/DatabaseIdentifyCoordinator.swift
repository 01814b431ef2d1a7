import Discord
import Services
import Storage

/// The gateway's `IdentifyCoordinator` answered from the identify buckets every process on the database shares.
/// `clanbot run` always uses it: on a single process it costs one small write per identify and changes nothing.
struct DatabaseIdentifyCoordinator: IdentifyCoordinator {
    let buckets: IdentifyBuckets

    func reserve(bucket: Int, interval: Duration) async throws -> IdentifyCoordination {
        switch try await buckets.reserve(bucket: bucket, interval: interval) {
        case .reserved: .proceed
        case .held(_, let wait): .wait(wait)
        }
    }
}
