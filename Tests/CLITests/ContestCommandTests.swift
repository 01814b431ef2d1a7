import Cryptography
import Domain
import Foundation
import Services
import Storage
import Testing
import TestSupport
@testable import ClanbotCLI

/// `clanbot contest …` against a real SQLite file and a fake drand relay. The contest that gets drawn ran in
/// June 2026 (set up through the service with a hand-moved clock), so its beacon round is in the past for the CLI.
@Suite struct ContestCommandTests {
    final class Environment: Sendable {
        let files: TemporaryDirectory
        let relay: FakeDrandRelay
        let store: Store

        init() async throws {
            files = try TemporaryDirectory("contest-cli")
            relay = try FakeDrandRelay()
            store = try await Store(path: files.path())
        }

        deinit {
            relay.stop()
        }

        var environment: [String: String] {
            ["CLANBOT_DB": files.path(), "DRAND_BASE": relay.baseURL,
             "DRAND_PUBLIC_KEY": relay.publicKeyHex]
        }

        func run(_ arguments: [String]) async -> (status: Int32, out: String, err: String) {
            let output = CapturedOutput()
            let status = await CommandLineTool.main(arguments: arguments, environment: environment, output: output)
            return (status, output.standardOutput, output.standardError)
        }

        func write(_ name: String, _ text: String) throws -> String {
            try files.write(name, text)
        }

        static func date(_ text: String) -> Date { (try? Date(text, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0) }

        /// A June 2026 contest that ended with Zezima (3 tickets) and B0aty (1 ticket); returns its id.
        func endedContest() async throws -> Int64 {
            let when = LockedValue(Self.date("2026-05-20T00:00:00Z"))
            let service = ContestService(store: store, http: nil, clock: { when.value })
            let clanID = try await store.write { db in try db.clans.create(guildID: "1", name: "Iron Legion").id }
            for (name, start, end) in [("Zezima", Int64(1_000_000), Int64(1_200_000)), ("B0aty", Int64(-1), Int64(150_000)), ("Lynx Titan", Int64(5_000_000), Int64(5_000_001))] {
                try await store.write { db in
                    let account = try db.accounts.findOrCreate(try RSN(name))
                    _ = try db.members.add(clanID: clanID, accountID: account.id)
                    for (at, xp) in [(Self.date("2026-05-31T00:00:00Z"), start), (Self.date("2026-06-07T00:00:00Z"), end)] {
                        let record = HiscoresRecord(skills: [SkillScore(name: "Overall", rank: 1, level: 1000, xp: 20_000_000),
                                                             SkillScore(name: "Slayer", rank: xp < 0 ? -1 : 5, level: 80, xp: xp)], activities: [])
                        _ = try db.snapshots.insert(accountID: account.id, fetchedAt: at, requestedBoard: .regular, resolvedType: nil, latencyMs: 0, record: record)
                    }
                }
            }
            let draft = try await service.create(ContestDraft(clanID: clanID, name: "June slayer", startAt: Self.date("2026-06-01T00:00:00Z"),
                                                              endAt: Self.date("2026-06-08T00:00:00Z")))
            _ = try await service.addRule(contestID: draft.id, kind: .skillXP, targets: ["Slayer"], threshold: 120_000, weight: 1, title: "Slayer")
            _ = try await service.addRule(contestID: draft.id, kind: .skillXP, targets: ["Slayer"], threshold: 190_000, weight: 2, title: "More slayer")
            _ = try await service.activate(contestID: draft.id)
            when.withLock { $0 = Self.date("2026-06-08T00:01:00Z") }
            _ = try await service.end(contestID: draft.id)
            return draft.id
        }
    }

    @Test func theEntryFileIsPrintedExactlyAndHashesToThePublishedDigest() async throws {
        let env = try await Environment()
        let id = try await env.endedContest()
        let result = await env.run(["contest", "entries", "\(id)"])
        #expect(result.status == 0, "\(result.err)")
        // CapturedOutput drops the final newline that print adds.
        let file = Array((result.out + "\n").utf8)
        #expect(String(decoding: file, as: UTF8.self) == "b0aty\nzezima\nzezima\nzezima\n")
        let contest = try await env.store.read { db in try db.contests.get(id: id) }
        #expect(Digest.sha256(file).hexString == contest.entries?.digest)
        #expect(UInt64(result.out.split(separator: "\n").count) == contest.entries?.ticketCount)
    }

    /// clanbot-draw-v2: after the end, `contest show` prints the published secret and the `clanbot verify` command;
    /// run with round R's signature, it names the winners before anyone draws, and the draw then names the same.
    @Test func beforeTheDrawThePublishedCommandComputesTheWinners() async throws {
        let env = try await Environment()
        let id = try await env.endedContest()
        let show = await env.run(["contest", "show", "\(id)"])
        #expect(show.status == 0, "\(show.err)")
        let secret = try #require(try await env.store.read { db in try db.contests.secret(contestID: id) }).hexString
        #expect(show.out.contains("Secret (published when the entries locked): \(secret)"))
        let line = try #require(show.out.split(separator: "\n").first { $0.hasPrefix("`clanbot verify") })
        let contest = try await env.store.read { db in try db.contests.get(id: id) }
        guard case .drandQuicknet(let round)? = contest.commitment?.randomness else {
            Issue.record("a drand contest")
            return
        }
        let entries = await env.run(["contest", "entries", "\(id)"])
        let entriesPath = try env.write("entries.txt", entries.out + "\n")
        let arguments = line.trimmingCharacters(in: CharacterSet(charactersIn: "`")).split(separator: " ").dropFirst(2).map { word -> String in
            switch word {
            case "SIGNATURE_OF_ROUND_\(round)": FakeDrandRelay.beacon(round: round).signature
            case "entries.txt": entriesPath
            default: String(word)
            }
        }
        let computed = await env.run(["verify"] + arguments)
        #expect(computed.status == 0, "\(computed.out)\n\(computed.err)")
        #expect(try await env.store.read { db in try db.contests.draw(contestID: id) } == nil)  // nobody drew yet

        // The same from the lock record: only round R's signature and the entry file besides.
        let lock = await env.run(["contest", "lock", "\(id)"])
        #expect(lock.status == 0, "\(lock.err)")
        let lockPath = try env.write("lock.json", lock.out)
        let signature = FakeDrandRelay.beacon(round: round).signature
        let fromLock = await env.run(["verify", "--lock", lockPath, "--entries", entriesPath, "--signature", signature])
        #expect(fromLock.status == 0, "\(fromLock.out)\n\(fromLock.err)")
        #expect(fromLock.out.contains("PASS  published entries digest"))
        let forged = try env.write("forged.txt", entries.out + "\nzzz\n")
        let withForged = await env.run(["verify", "--lock", lockPath, "--entries", forged, "--signature", signature])
        #expect(withForged.status == 1)
        #expect(withForged.out.contains("FAIL  published entries digest"))
        #expect(await env.run(["verify", "--lock", lockPath, "--entries", entriesPath]).status == 64)  // no signature

        let drawn = await env.run(["contest", "draw", "\(id)"])
        #expect(drawn.status == 0, "\(drawn.err)")
        let winners = try #require(try await env.store.read { db in try db.contests.draw(contestID: id) }).winners.map(\.ticket)
        #expect(computed.out.contains("Winners: \(winners.joined(separator: ", "))."))
        #expect(fromLock.out.contains("Winners: \(winners.joined(separator: ", "))."))
        #expect(drawn.out.contains("This is the result anyone could compute"))
    }

    @Test func drawShowProofAndVerifyWorkTogether() async throws {
        let env = try await Environment()
        let id = try await env.endedContest()
        let drawn = await env.run(["contest", "draw", "\(id)"])
        #expect(drawn.status == 0, "\(drawn.err)")
        #expect(drawn.out.contains("Winners (drawn"))
        #expect(drawn.out.contains("clanbot verify --proof proof.json --entries entries.txt"))
        #expect(env.relay.requestedRounds.count == 1)

        let again = await env.run(["contest", "draw", "\(id)"])
        #expect(again.status == 0)
        #expect(again.out.contains("already drawn"))
        #expect(env.relay.requestedRounds.count == 1)

        let proof = await env.run(["contest", "proof", "\(id)"])
        #expect(proof.status == 0)
        let stored = try await env.store.read { db in try db.contests.draw(contestID: id) }
        #expect(proof.out == stored?.proofJSON)
        let entries = await env.run(["contest", "entries", "\(id)"])
        let proofPath = try env.write("proof.json", proof.out)
        let entriesPath = try env.write("entries.txt", entries.out + "\n")
        let verified = await env.run(["verify", "--proof", proofPath, "--entries", entriesPath])
        #expect(verified.status == 0, "\(verified.out)\n\(verified.err)")
        #expect(!verified.out.contains("FAIL"))
        // A changed entry file fails.
        let forged = try env.write("forged.txt", "b0aty\nb0aty\nb0aty\nzezima\nzezima\n")
        #expect(await env.run(["verify", "--proof", proofPath, "--entries", forged]).status == 1)

        let check = await env.run(["contest", "verify", "\(id)"])
        #expect(check.status == 0, "\(check.out)")
        let show = await env.run(["contest", "show", "\(id)"])
        let contest = try await env.store.read { db in try db.contests.get(id: id) }
        #expect(show.out.contains("— drawn"))
        #expect(show.out.contains(contest.commitment?.commitment ?? "?"))
        #expect(show.out.contains("N = 4 tickets"))
        #expect(show.out.contains("1. \(stored?.winners.first?.displayName ?? "?")"))

        let cancel = await env.run(["contest", "cancel", "\(id)", "--reason", "too late"])
        #expect(cancel.status == 1)
        #expect(cancel.err.contains("cannot cancel a contest that is drawn"))
    }

    @Test func anOperatorCanDraftAndActivateAContestAndWrongStepsAreRefused() async throws {
        let env = try await Environment()
        _ = try await env.store.write { db in try db.clans.create(guildID: "1", name: "Iron Legion") }
        let created = await env.run(["contest", "create", "Iron Legion", "Spring slayer", "--start", "2030-01-01", "--end", "2030-02-01T12:00:00Z",
                                     "--winners", "2", "--prize", "Bond"])
        #expect(created.status == 0, "\(created.err)")
        #expect(created.out.contains("Created draft contest #1"))
        let early = await env.run(["contest", "activate", "1"])
        #expect(early.status == 1)
        #expect(early.err.contains("add at least one rule"))
        let rule = await env.run(["contest", "rule", "1", "skill_xp", "120,000", "--targets", "Slayer", "--title", "Slayer grind", "--weight", "2"])
        #expect(rule.status == 0, "\(rule.err)")
        #expect(rule.out.contains("Added rule 1 to contest #1: Slayer grind: gain 120,000 xp in Slayer (2 entries)"))
        let badRule = await env.run(["contest", "rule", "1", "boss_kc", "5", "--title", "No boss"])
        #expect(badRule.status == 1)
        #expect(badRule.err.contains("needs at least one boss"))
        let edited = await env.run(["contest", "edit", "1", "--name", "Spring slayer XP", "--prize", "-", "--winners", "3"])
        #expect(edited.status == 0, "\(edited.err)")
        #expect(edited.out.contains("Updated draft contest #1 \"Spring slayer XP\""))
        let draft = try await env.store.read { db in try db.contests.get(id: 1) }
        #expect(draft.prize == nil && draft.winnersCount == 3)
        #expect(await env.run(["contest", "edit", "1"]).status == 64)
        #expect(await env.run(["contest", "edit", "1", "--end", "2029-01-01"]).err.contains("must end after it starts"))
        let activated = await env.run(["contest", "activate", "1"])
        #expect(activated.status == 0, "\(activated.err)")
        #expect(await env.run(["contest", "edit", "1", "--name", "Renamed"]).err.contains("cannot edit a contest that is active"))
        #expect(activated.out.contains("commitment = SHA-256(secret) = "))
        #expect(activated.out.contains("drand quicknet"))
        let late = await env.run(["contest", "rule", "1", "total_xp", "5", "--title", "Late"])
        #expect(late.status == 1)
        #expect(late.err.contains("cannot add a rule to a contest that is active"))
        let end = await env.run(["contest", "end", "1"])
        #expect(end.status == 1)
        #expect(end.err.contains("runs until 2030-02-01"))
        let standings = await env.run(["contest", "standings", "1"])
        #expect(standings.status == 0, "\(standings.err)")
        #expect(standings.out.contains("Standings of contest #1 \"Spring slayer XP\" so far: "), "\(standings.out)")
        let entries = await env.run(["contest", "entries", "1"])
        #expect(entries.status == 1)
        let list = await env.run(["contest", "list", "Iron Legion"])
        #expect(list.out.contains("Spring slayer XP"))
        #expect(list.out.contains("active"))
        let noBeacon = await env.run(["contest", "create", "Iron Legion", "Quick", "--start", "2030-01-01", "--end", "2030-01-02", "--no-beacon"])
        #expect(noBeacon.out.contains(RandomnessMode.noneWarning))
        #expect(await env.run(["contest", "draw"]).status == 64)
        #expect(await env.run(["contest", "create", "Iron Legion", "X", "--start", "soon", "--end", "later"]).status == 64)
        #expect(await env.run(["contest", "show", "99"]).err.contains("there is no contest 99"))
    }

    /// The bot ends contests at their end time, so an operator's `contest end` afterwards (or a second activate or
    /// cancel) answers with the contest's state and exits 0; a step the contest never went through is still refused.
    @Test func repeatedLifecycleStepsAnswerWithTheStateAndWrongStepsAreStillRefused() async throws {
        let env = try await Environment()
        let id = try await env.endedContest()
        let ended = try await env.store.read { db in try db.contests.get(id: id) }
        let entries = try #require(ended.entries)
        let endedAt = try #require(ended.endedAt)

        for action in ["end", "end", "activate"] {
            let again = await env.run(["contest", action, "\(id)"])
            #expect(again.status == 0, "\(action): \(again.err)")
            #expect(again.err.isEmpty)
            #expect(again.out.contains("Contest #\(id) already ended \(ContestRendering.time(endedAt)): \(entries.ticketCount) tickets locked, entry-list SHA-256 \(entries.digest)."))
            #expect(again.out.contains("— ended"))
        }
        #expect(try await env.store.read { db in try db.contests.get(id: id) } == ended)

        let created = await env.run(["contest", "create", "Iron Legion", "Autumn", "--start", "2030-01-01", "--end", "2030-02-01"])
        #expect(created.status == 0, "\(created.err)")
        let draftID = try #require(try await env.store.read { db in try db.contests.list(clanID: ended.clanID) }.first { $0.name == "Autumn" }?.id)
        let drawDraft = await env.run(["contest", "draw", "\(draftID)"])
        #expect(drawDraft.status == 1)
        #expect(drawDraft.err.contains("cannot draw a contest that is draft"))
        #expect(drawDraft.out.isEmpty)

        _ = await env.run(["contest", "rule", "\(draftID)", "total_xp", "5", "--title", "Any"])
        let first = await env.run(["contest", "activate", "\(draftID)"])
        #expect(first.status == 0, "\(first.err)")
        let commitment = try #require(try await env.store.read { db in try db.contests.get(id: draftID) }.commitment)
        let second = await env.run(["contest", "activate", "\(draftID)"])
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.contains("Contest #\(draftID) is already active since "))
        #expect(second.out.contains("it ends 2030-02-01"))
        #expect(try await env.store.read { db in try db.contests.get(id: draftID) }.commitment == commitment)

        let cancelled = await env.run(["contest", "cancel", "\(draftID)", "--reason", "wrong dates"])
        #expect(cancelled.status == 0, "\(cancelled.err)")
        let cancelledAgain = await env.run(["contest", "cancel", "\(draftID)", "--reason", "typed twice"])
        #expect(cancelledAgain.status == 0, "\(cancelledAgain.err)")
        #expect(cancelledAgain.out.contains("Contest #\(draftID) was already cancelled "))
        #expect(cancelledAgain.out.contains(": wrong dates."))
        #expect(!cancelledAgain.out.contains("typed twice"))

        // Activating a cancelled contest did not happen and never will: a refusal, not a state.
        let activateCancelled = await env.run(["contest", "activate", "\(draftID)"])
        #expect(activateCancelled.status == 1)
        #expect(activateCancelled.err.contains("cannot activate a contest that is cancelled"))
    }
}
