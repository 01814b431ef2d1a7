import Domain
import Foundation
import Storage

/// One process's delivery loop over the clan events log: claim the oldest event that may go now, hand it to every
/// subscriber, mark it delivered, until nothing is left; then sleep until something new may be there.
///
/// What wakes it: this process's own posts; on PostgreSQL a NOTIFY from any process's post or delivery (a LISTEN
/// connection of its own, which after a drop connects again and wakes the loop once to catch up); and a periodic
/// catch-up pass (`Timing.catchUpInterval` on the log's clock), which finds what nothing announced: another process's
/// events on a shared SQLite file, and events whose claimer stopped once their claim expired. Each clan's events go out
/// in the order they were posted; an event that cannot be read, is too old or failed too often is skipped and logged.
struct ClanEventDelivery: Sendable {
    let events: ClanEventLog
    let subscribers: [any ClanEventSubscriber]

    /// Runs until `finish()` (a last pass first) or cancellation.
    func run() async {
        let events = events
        await withTaskGroup(of: Void.self) { group in
            if let wakeUps = events.store.wakeUps(channel: ClanEventRepository.channel, reconnectAfter: events.timing.reconnectAfter, log: events.log) {
                group.addTask {
                    for await wakeUp in wakeUps {
                        events.heard(wakeUp)
                        events.signal.poke()
                    }
                }
            }
            group.addTask {
                await PeriodicLoop.run(clock: events.clock, pollEvery: events.timing.catchUpInterval, passFirst: false) {
                    await pruneFinished()
                    await releaseDeadClaims()
                    await events.signal.pass()
                    events.countPass()
                }
            }
            // The first pass at once: what a stopped process (or this one, before a restart) left undelivered.
            await releaseDeadClaims()
            var waiters: [CheckedContinuation<Void, Never>] = []
            while !Task.isCancelled {
                await drain()
                for waiter in waiters { waiter.resume() }
                waiters = []
                if events.isFinished { break }
                waiters = await events.signal.wait()
            }
            for waiter in waiters { waiter.resume() }
            events.signal.close()
            group.cancelAll()
        }
        events.stop()
    }

    /// Delivers events until none may go now (or the database cannot be reached), then lets `delivered()` callers go.
    func drain() async {
        while !Task.isCancelled, let claimed = await claim() {
            await deliver(claimed)
        }
        let owner = events.owner
        do {
            events.resolveWaiters(oldestOpen: try await events.store.read { db in try db.clanEvents.oldestOpen(postedBy: owner) })
        } catch {
            events.log("clan events: cannot tell which are delivered: \(error)")
        }
    }

    private func claim() async -> StoredClanEvent? {
        let owner = events.owner
        let now = events.clock.date
        let expired = now.addingTimeInterval(-events.timing.claimTimeout.timeInterval)
        do {
            return try await events.store.write { db in try db.clanEvents.claimNext(owner: owner, now: now, expiredBefore: expired) }
        } catch {
            events.log("clan events: cannot claim the next event: \(error)")
            return nil
        }
    }

    /// Hands one claimed event to every subscriber, or skips it when it cannot be delivered.
    private func deliver(_ claimed: StoredClanEvent) async {
        let label = "clan event #\(claimed.id) (\(claimed.kind), clan #\(claimed.clanID))"
        if claimed.attempts > events.timing.maximumAttempts {
            return await skip(claimed, "claimed \(claimed.attempts) times and never marked delivered (each process delivering it stopped)")
        }
        let age = events.clock.date.timeIntervalSince(claimed.postedAt)
        if age > events.timing.maximumAge.timeInterval {
            return await skip(claimed, "posted \(Int(age / 60)) minutes ago, too late to announce")
        }
        if claimed.attempts > 1 { events.log("\(label): taken over from a process that stopped while delivering it") }
        let event: ClanEvent
        do {
            let payload = claimed.payload
            event = try await events.store.read { db in try ClanEventPayload.decode(payload, in: db) }
        } catch let error as ClanEventDecodingError {
            return await skip(claimed, "cannot be read: \(error)")
        } catch {
            // The database is unreachable: the claim expires and this or another process tries again.
            events.log("\(label): cannot be read now: \(error)")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for subscriber in subscribers {
                group.addTask { await subscriber.handle(event) }
            }
        }
        let owner = events.owner
        let now = events.clock.date
        do {
            let marked = try await events.store.write { db in try db.clanEvents.markDelivered(id: claimed.id, owner: owner, now: now) }
            if !marked { events.log("\(label): delivered after its claim expired; another process may deliver it again") }
        } catch {
            events.log("\(label): delivered, but cannot be marked so (it may be delivered again): \(error)")
        }
    }

    private func skip(_ claimed: StoredClanEvent, _ reason: String) async {
        events.log("clan event #\(claimed.id) (\(claimed.kind), clan #\(claimed.clanID)) skipped: \(reason)")
        let now = events.clock.date
        do {
            try await events.store.write { db in try db.clanEvents.skip(id: claimed.id, reason: reason, now: now) }
        } catch {
            events.log("clan event #\(claimed.id): cannot be marked skipped: \(error)")
        }
    }

    /// Claims held by processes of this machine that no longer exist (this one before a restart, say) go back to the
    /// queue at once rather than after `Timing.claimTimeout`; another machine's stopped processes are only known by
    /// their claims' age.
    private func releaseDeadClaims() async {
        do {
            let dead = try await events.store.read { db in try db.clanEvents.claimers() }.filter(ClanEventLog.isDeadLocalProcess)
            for claimer in dead {
                let released = try await events.store.write { db in try db.clanEvents.release(claimedBy: claimer) }
                if released > 0 { events.log("clan events: \(released) claimed by \(claimer), which no longer runs, go back to the queue") }
            }
        } catch {
            events.log("clan events: cannot look for claims of stopped processes: \(error)")
        }
    }

    /// Deletes events finished longer ago than `Timing.keepFinished`.
    private func pruneFinished() async {
        let before = events.clock.date.addingTimeInterval(-events.timing.keepFinished.timeInterval)
        do {
            try await events.store.write { db in try db.clanEvents.prune(finishedBefore: before) }
        } catch {
            events.log("clan events: cannot delete old finished events: \(error)")
        }
    }
}
