import Foundation
import Testing
@testable import Domain

@Suite struct SnapshotAccountTypeTests {
    private func resolve(_ xp: [HiscoresBoard: Int64]) -> AccountType? {
        var known: [HiscoresBoard: BoardPresence] = [:]
        var asked: [HiscoresBoard] = []
        while true {
            switch AccountTypeResolution.step(known) {
            case .fetch(let board):
                asked.append(board)
                known[board] = xp[board].map { .overallXP($0) } ?? .absent
            case .resolved(let type): return type
            case .notOnHiscores: return nil
            }
        }
    }

    @Test func regularWhenNotOnTheIronmanBoardOrBehindIt() {
        #expect(resolve([.regular: 5_000_000]) == .regular)
        // De-ironed: the ironman board froze below the regular one.
        #expect(resolve([.regular: 5_000_000, .ironman: 3_000_000]) == .regular)
    }

    @Test func ironmanTypes() {
        #expect(resolve([.regular: 5_000_000, .ironman: 5_000_000]) == .ironman)
        #expect(resolve([.regular: 5_000_000, .ironman: 5_000_000, .hardcore: 5_000_000]) == .hardcore)
        #expect(resolve([.regular: 5_000_000, .ironman: 5_000_000, .ultimate: 5_000_000]) == .ultimate)
        // A dead hardcore: the hardcore board stopped growing.
        #expect(resolve([.regular: 5_000_000, .ironman: 5_000_000, .hardcore: 4_000_000]) == .ironman)
        // A low-level ironman is on the ironman board before the regular one.
        #expect(resolve([.ironman: 20_000]) == .ironman)
        #expect(resolve([:]) == nil)
    }

    @Test func resolveFromRecords() {
        func record(_ xp: Int64) -> HiscoresRecord {
            HiscoresRecord(skills: [SkillScore(name: "Overall", rank: 10, level: 1000, xp: xp)], activities: [])
        }
        #expect(AccountTypeResolution.resolve([.regular: record(9), .ironman: record(9), .hardcore: nil]) == .ironman)
        #expect(AccountTypeResolution.resolve([.regular: record(9), .ironman: record(9), .hardcore: record(9)]) == .hardcore)
    }

    @Test func changesWorthAnnouncing() {
        #expect(AccountTypeChange.between(.hardcore, .ironman) == .hardcoreDied)
        #expect(AccountTypeChange.between(.ultimate, .regular) == .leftIronman)
        #expect(AccountTypeChange.between(.ironman, .ironman) == nil)
    }

    @Test func recheckOnTheIntervalOrWhenTheTypeBoardLags() {
        let now = Date(timeIntervalSince1970: 1_000_000_000)
        let sixDays = now.addingTimeInterval(-6 * 86_400)
        let eightDays = now.addingTimeInterval(-8 * 86_400)
        #expect(AccountTypeRecheck.shouldRecheck(resolved: .regular, lastChecked: eightDays, now: now))
        #expect(!AccountTypeRecheck.shouldRecheck(resolved: .regular, lastChecked: sixDays, now: now))
        #expect(AccountTypeRecheck.shouldRecheck(resolved: nil, lastChecked: sixDays, now: now))
        #expect(AccountTypeRecheck.shouldRecheck(
            resolved: .hardcore, lastChecked: sixDays, now: now, regularXP: 2_000, typeBoardXP: 1_500))
        #expect(!AccountTypeRecheck.shouldRecheck(
            resolved: .hardcore, lastChecked: sixDays, now: now, regularXP: 2_000, typeBoardXP: 2_000))
        #expect(!AccountTypeRecheck.typeBoardLags(resolved: .regular, regularXP: 2_000, typeBoardXP: nil))
    }
}
