/// The decisions of a backup's copy loop, without SQLite or a clock, so tests can drive every path:
/// how many pages the next step copies, when SQLite restarted the copy, how long to wait while locked.
struct BackupPacing {
    enum Next: Equatable {
        /// Step again at once.
        case step
        /// The database is locked: wait this long, then try the same step again.
        case pause(milliseconds: Int)
        /// Every page is copied.
        case finished
        /// Locked for longer than the options allow; stop with `BackupError.busy`.
        case gaveUp(lockedSeconds: Double)
    }

    let options: BackupOptions
    private(set) var restarts = 0
    private(set) var busyRetries = 0
    private var lastRemaining = Int.max
    private var lockedSince: Duration?

    init(options: BackupOptions) {
        self.options = options
    }

    /// Pages for the next `sqlite3_backup_step`: a chunk, or -1 (all that is left, in one step that
    /// cannot be restarted) once other connections' writes have restarted the copy often enough.
    var pagesForNextStep: Int32 {
        restarts >= options.restartsBeforeSingleStep ? -1 : options.pagesPerStep
    }

    /// What to do after a step that ended with `progress`, `now` being the time since the backup began.
    mutating func next(after progress: OnlineBackup.Progress, at now: Duration) -> Next {
        switch progress {
        case .done:
            return .finished
        case .copying(let remaining, _):
            // SQLite restarted from page 1 when the count of pages left goes back up.
            if remaining > lastRemaining { restarts += 1 }
            lastRemaining = remaining
            lockedSince = nil
            return .step
        case .busy:
            let since = lockedSince ?? now
            lockedSince = since
            let locked = now - since
            if locked >= .milliseconds(Int64(options.busyLimitSeconds * 1000)) {
                return .gaveUp(lockedSeconds: Double(locked.components.seconds) + Double(locked.components.attoseconds) / 1e18)
            }
            busyRetries += 1
            return .pause(milliseconds: max(1, options.busyPauseMilliseconds))
        }
    }
}
