import Domain
import Foundation
import Hiscores
import Storage

/// What taking one player's snapshot produced.
public struct SnapshotOutcome: Sendable {
    public let account: Account
    public let snapshot: PlayerSnapshot
    /// The HTTP exchange's latency and the attempts it took.
    public let latencyMs: Int
    public let attempts: Int
    /// Set when the account's type was (re)checked during this snapshot.
    public let typeCheck: AccountTypeCheck?
    /// Set when that check changed the stored type (a hardcore death, leaving ironman, …).
    public let typeChange: AccountTypeChange?
    /// The account's snapshot before this one, if any.
    public let previous: PlayerSnapshot?
    /// Achievements this snapshot stored for the first time (none when they were stored before), for an
    /// announcer to post. Stored in the same transaction as the snapshot; none for a snapshot served from the store.
    public var achievements: [StoredAchievement] = []

    /// True when the hiscores were not asked: the stored snapshot was fresh enough (see `freshFor`).
    public var servedFromStore = false

    /// The change since the previous snapshot.
    public var delta: SnapshotDelta? { previous.map { SnapshotDelta(from: $0, to: snapshot) } }
}

/// Takes one player's snapshot: hiscores fetch → store, keeping the account's resolved type current.
///
/// With no board given, the account's own board is read: its resolved type is worked out by comparing
/// boards when unknown, every 7 days, or when its type board lags the regular one; a changed type is
/// stored on the account. A board given explicitly is fetched as asked.
public struct SnapshotService: MemberSnapshotting {
    /// The longest an interactive command waits on the hiscores, retries included (batch runs keep their patient retries).
    public static let interactivePatience: Duration = .seconds(12)
    /// Seconds a stored snapshot answers a lookup instead of the hiscores: several people asking for the same
    /// player in the same minute cost one request.
    public static let freshFor: TimeInterval = 60

    public let store: Store
    public let hiscores: HiscoresClient
    private let clock: @Sendable () -> Date
    /// Told `.activity` when a snapshot finds that a hardcore ironman died (recorded in `clan_activity` with the snapshot).
    private let events: ClanEvents

    public init(store: Store, hiscores: HiscoresClient, clock: @escaping @Sendable () -> Date = { Date() }, events: ClanEvents = .unobserved) {
        self.store = store
        self.hiscores = hiscores
        self.clock = clock
        self.events = events
    }

    /// Snapshots the player called `name`. A name not tracked yet becomes an account only once the hiscores
    /// answered for it, so looking up names nobody has stores nothing. With `patience` (interactive commands) the
    /// lookup gives up after that long with `HiscoresError.noAnswer`; without it, it retries as long as the client does.
    public func snapshot(name: String, board: HiscoresBoard? = nil, patience: Duration? = nil,
                         reusingWithin freshness: TimeInterval = 0) async throws -> SnapshotOutcome {
        let rsn: RSN
        do { rsn = try RSN(name) } catch { throw HiscoresError.invalidName(error) }
        let account = try await store.read { db in try db.accounts.find(rsn) }
        if freshness > 0, let account, let stored = try await fresh(account, board: board, within: freshness) { return stored }
        guard let patience else { return try await snapshot(account: account, rsn: rsn, board: board) }
        return try await withinPatience(patience) { try await snapshot(account: account, rsn: rsn, board: board) }
    }

    /// The account's latest snapshot as an outcome when it was fetched less than `seconds` ago (on `board`, when
    /// one is asked for), with the snapshot before it for the change.
    private func fresh(_ account: Account, board: HiscoresBoard?, within seconds: TimeInterval) async throws -> SnapshotOutcome? {
        let now = clock()
        return try await store.read { db -> SnapshotOutcome? in
            guard let latest = try db.snapshots.latest(accountID: account.id), now.timeIntervalSince(latest.fetchedAt) < seconds,
                  board == nil || board == latest.requestedBoard else { return nil }
            let previous = try db.snapshots.latest(accountID: account.id, atOrBefore: latest.fetchedAt.addingTimeInterval(-0.001))
            var outcome = SnapshotOutcome(account: account, snapshot: latest, latencyMs: latest.latencyMs, attempts: 0,
                                          typeCheck: nil, typeChange: nil, previous: previous, achievements: [])
            outcome.servedFromStore = true
            return outcome
        }
    }

    public func snapshotMember(accountID: Int64, displayName: String, board: HiscoresBoard?) async throws -> MemberSnapshotResult {
        let account = try await store.read { db in try db.accounts.get(id: accountID) }
        let rsn: RSN
        do { rsn = try RSN(account.displayName) } catch { throw HiscoresError.invalidName(error) }
        let outcome = try await snapshot(account: account, rsn: rsn, board: board)
        return MemberSnapshotResult(snapshotID: outcome.snapshot.id, latencyMs: outcome.latencyMs, achievements: outcome.achievements)
    }

    /// `account` nil: the name is not tracked yet, and is stored with the snapshot.
    private func snapshot(account: Account?, rsn: RSN, board requested: HiscoresBoard?) async throws -> SnapshotOutcome {
        let now = clock()
        var check: AccountTypeCheck?
        var change: AccountTypeChange?
        var record: HiscoresRecord?
        var latency = 0
        var attempts = 0
        let board: HiscoresBoard

        if let requested {
            board = requested
        } else {
            if AccountTypeRecheck.shouldRecheck(resolved: account?.resolvedType, lastChecked: account?.modeCheckedAt, now: now) {
                let started = ContinuousClock.now
                let resolved = try await hiscores.resolveAccountType(rsn)
                // Reusing the check's response saves a request; its latency is the whole check's time.
                let elapsed = ContinuousClock.now - started
                latency = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                attempts = resolved.boardsAsked.count
                check = resolved
                if let old = account?.resolvedType { change = AccountTypeChange.between(old, resolved.type) }
            }
            board = (check?.type ?? account?.resolvedType ?? .regular).board
            // The check already fetched this board: store that response instead of asking again.
            record = check?.records[board]
        }
        if record == nil {
            let fetch = try await hiscores.fetch(rsn, board: board)
            record = fetch.record
            latency = fetch.latencyMs
            attempts = fetch.attempts
        }
        guard let record else { throw HiscoresError.notOnHiscores(name: rsn.display, board: board) }
        let checked = check
        let latencyMs = latency
        let fetchedAt = clock()
        let knownID = account?.id
        let stored = try await store.write { db in
            let accountID = try knownID ?? db.accounts.findOrCreate(rsn, now: fetchedAt).id
            var account = try db.accounts.get(id: accountID)
            let typeBefore = account.resolvedType
            if let checked {
                account = try db.accounts.updateResolvedType(accountID: accountID, to: checked.type, checkedAt: checked.checkedAt)
            }
            let previous = try db.snapshots.latest(accountID: accountID)
            // Judged on the type stored in this transaction, so two batches racing over one account record one death.
            var diedIn: [Int64] = []
            if let typeBefore, let checked, AccountTypeChange.between(typeBefore, checked.type) == .hardcoreDied {
                diedIn = try db.activity.recordHardcoreDeath(accountID: accountID, name: account.displayName, at: fetchedAt, since: previous?.fetchedAt)
            }
            // Achievements are measured from the last snapshot that was not a rollback, so a dip and its recovery cross nothing.
            let baseline = previous?.isRollback == true ? try db.snapshots.latestMeasurable(accountID: accountID) : previous
            // Only the dip itself is flagged: a rollback the game never undoes must not flag every later snapshot.
            let lost = previous.map { RollbackCheck.lostRows(from: $0.record, to: record) } ?? []
            let snapshot = try db.snapshots.insert(accountID: accountID, fetchedAt: fetchedAt, requestedBoard: board,
                                                   resolvedType: account.resolvedType, latencyMs: latencyMs, record: record,
                                                   rollbackRows: lost)
            // Keyed by account, kind, metric and threshold: a replayed or recovered snapshot cannot store one twice.
            let detected = baseline.map { AchievementDetector().detect(from: $0, to: snapshot) } ?? []
            let achievements = try db.achievements.insertNew(detected, now: fetchedAt)
            // A lone snapshot changes the figures of every clan the player is in.
            try db.aggregateCache.invalidate(accountID: accountID)
            return (account, snapshot, previous, achievements, diedIn)
        }
        for clanID in stored.4 { await events.post(.activity(clanID: clanID)) }
        return SnapshotOutcome(account: stored.0, snapshot: stored.1, latencyMs: latencyMs, attempts: attempts,
                               typeCheck: checked, typeChange: change, previous: stored.2, achievements: stored.3)
    }
}

extension HiscoresError: BatchMemberError {
    /// The short kind stored in `clan_snapshot_members.error_kind`.
    public var kind: String {
        switch self {
        case .invalidName: "invalid_name"
        case .notOnHiscores: "not_found"
        case .malformedResponse: "malformed"
        case .unavailable: "unavailable"
        case .transport(let error, _): error.isTimeout ? "timeout" : "transport"
        case .cancelled: "cancelled"
        case .noAnswer: "timeout"
        }
    }

    public var latencyMs: Int? { nil }
}
