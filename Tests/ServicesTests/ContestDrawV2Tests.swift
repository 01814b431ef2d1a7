import DatabaseTestTraits
import Cryptography
import Domain
import Foundation
import Storage
import Testing
import TestSupport
import Transport
@testable import Services

/// `clanbot-draw-v2` through the service (docs/draw-scheme.md §7): the lock publishes the secret, a third party
/// computes the winners from the published values and the beacon before the draw, and the draw shows exactly that.
/// Contests activated under v1 keep drawing and verifying as v1; without a beacon the secret stays hidden.
@Suite(.databaseTests) struct ContestDrawV2Tests {
    @Test(arguments: TestDatabaseBackend.all) func theLockPublishesTheSecretAndAnyoneComputesTheWinnersBeforeTheDraw(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let service = fixture.service
        let id = try await fixture.draftWithRules(winners: 2)
        let activation = try await service.activate(contestID: id)
        #expect(activation.commitment.scheme == "clanbot-draw-v2")
        #expect(activation.detail.publishedSecret == nil)
        guard case .drandQuicknet(let round) = activation.commitment.randomness else {
            Issue.record("a drand contest")
            return
        }
        #expect(try await service.detail(contestID: id).publishedSecret == nil)  // hidden while the contest runs

        // The lock: entries, their digest and the secret, published together before round R exists.
        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await service.end(contestID: id)
        #expect(fixture.clock.date < DrandQuicknet.publicationTime(ofRound: round))
        let secret = try #require(ended.detail.publishedSecret)
        #expect(Digest.sha256(try #require([UInt8](hexString: secret))).hexString == activation.commitment.commitment)
        let lock = try #require(ended.detail.lock)
        #expect(lock.entries == ended.detail.contest.entries && lock.activation == activation.commitment && lock.winnersRequested == 2)
        let endText = try #require(await fixture.log.contestAnnouncements.last).text
        #expect(endText.contains(try #require(lock.verifyCommand)))
        #expect(endText.contains("--secret \(secret)") && endText.contains("--scheme clanbot-draw-v2"))
        let endMessage = try #require(await fixture.log.contestAnnouncements.last?.webhookMessage(clanName: "Iron Legion", at: ContestFixture.afterEnd))
        #expect(endMessage.data["secret"] == secret && endMessage.data["scheme"] == "clanbot-draw-v2")
        #expect(endMessage.data["winners_requested"] == "2")
        #expect(endMessage.data["lock_record"] == lock.json)
        #expect(endMessage.fields.contains { $0.name == "Compute the winners" && $0.value == lock.recipe })
        #expect(try #require(lock.recipe).count <= 1024)  // one embed field

        // A third party, after t(R) and before any draw: the published lock record (as JSON), the published entry file,
        // and round R from the relay.
        fixture.clock.set(DrandQuicknet.publicationTime(ofRound: round).addingTimeInterval(1))
        let published = try JSONDecoder().decode(DrawLockRecord.self, from: Data(lock.json.utf8))
        let file = try await service.entriesFile(contestID: id)
        #expect(Digest.sha256(file).hexString == published.entries.digest)
        let relay = DrandBeaconFetcher(http: try HTTPClient(), baseURL: fixture.relay.baseURL, retryInterval: .milliseconds(20), maximumWait: .seconds(5))
        let beacon = try await relay.fetch(round: round)
        let precomputed = try DrawScheme.precompute(lock: published, beacon: beacon, entries: try EntryList.parse(bytes: file))
        #expect(precomputed.winners.count == 2)
        #expect(try await service.detail(contestID: id).status == .ended)  // nobody has drawn yet

        // The leader's draw announces exactly that result.
        let drawn = try await service.draw(contestID: id)
        #expect(drawn.proofJSON == precomputed.json)
        #expect(drawn.winners.map(\.ticket) == precomputed.winners.map(\.name))
        #expect(drawn.detail.precomputableNote?.contains("round \(round)") == true)
        let drawnText = try #require(await fixture.log.contestAnnouncements.last).text
        #expect(drawnText.contains("secret (published when the entries locked): \(secret)"))
        #expect(drawnText.contains("anyone could compute"))
        let verification = try await service.verify(contestID: id)
        #expect(verification.passed, "\(verification.checks.filter { !$0.passed })")
        #expect(verification.notes.contains { $0.contains("published when the entries locked") })
    }

    @Test(arguments: TestDatabaseBackend.all) func onceTheResultIsPublicTheContestCanNoLongerBeCancelled(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()  // the clock is just past t(R)
        let published = DrandQuicknet.publicationTime(ofRound: try #require(round))
        await #expect { _ = try await fixture.service.cancel(contestID: id, reason: "I do not like the winner") } throws: { error in
            guard case .resultAlreadyPublic(published)? = refusal(error) else { return false }
            return true
        }
        #expect(try await fixture.service.detail(contestID: id).status == .ended)
        #expect(try await fixture.service.draw(contestID: id).detail.status == .drawn)
    }

    @Test(arguments: TestDatabaseBackend.all) func aTamperedLockRecordOrEntryFileDoesNotGiveTheDraw(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        let detail = try await fixture.service.detail(contestID: id)
        let lock = try #require(detail.lock)
        let beacon = FakeDrandRelay.beacon(round: try #require(round))
        let file = try await fixture.service.entriesFile(contestID: id)
        var forged = lock
        forged.secret = Digest.sha256(Array("forged".utf8)).hexString
        #expect(throws: DrawError.secretDoesNotMatchCommitment) { try DrawScheme.precompute(lock: forged, beacon: beacon, entries: try EntryList.parse(bytes: file)) }
        let extra = try EntryList.parse(bytes: file + Array("zzz\n".utf8))
        #expect(throws: DrawError.self) { try DrawScheme.precompute(lock: lock, beacon: beacon, entries: extra) }
        var relabelled = lock
        relabelled.scheme = DrawSchemeVersion.v1.identifier
        #expect(throws: DrawError.self) { try DrawScheme.precompute(lock: relabelled, beacon: beacon, entries: try EntryList.parse(bytes: file)) }
        var otherRound = beacon
        otherRound.round += 1
        #expect(throws: DrawError.self) { try DrawScheme.precompute(lock: lock, beacon: otherRound, entries: try EntryList.parse(bytes: file)) }
        // The untampered values give the draw.
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(try DrawScheme.precompute(lock: lock, beacon: beacon, entries: try EntryList.parse(bytes: file)).json == drawn.proofJSON)
    }

    @Test(arguments: TestDatabaseBackend.all) func aContestActivatedUnderV1IsEndedDrawnAndVerifiedAsV1(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules()
        // Activated by a build that knew only v1: the row says clanbot-draw-v1.
        let secret = Digest.sha256(Array("activated before v2".utf8))
        let v1 = try await fixture.store.write { db -> DrawCommitment in
            let contest = try db.contests.get(id: id)
            let commitment = try DrawCommitment.make(contestID: id, endAt: contest.endAt, secret: secret, rulesDigest: contest.rulesDigest,
                                                     beacon: .standard, version: .v1)
            _ = try db.contests.activate(contestID: id, commitment: commitment, secret: secret, now: ContestFixture.created)
            return commitment
        }
        let scheme = try await fixture.store.read { db in try db.scalar("SELECT scheme FROM contests WHERE id = ?", [id], as: String.self) }
        #expect(scheme == "clanbot-draw-v1")
        guard case .drandQuicknet(let round) = v1.randomness else {
            Issue.record("a drand contest")
            return
        }
        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await fixture.service.end(contestID: id)
        #expect(ended.detail.contest.commitment?.scheme == "clanbot-draw-v1")
        #expect(ended.detail.publishedSecret == nil)  // v1 keeps the secret until the draw
        #expect(await fixture.log.contestAnnouncements.last?.text.contains(secret.hexString) == false)
        #expect(await fixture.log.contestAnnouncements.last?.webhookMessage(clanName: "x", at: Date())?.data["secret"] == nil)
        fixture.clock.set(DrandQuicknet.publicationTime(ofRound: round).addingTimeInterval(1))
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(drawn.proof.scheme == "clanbot-draw-v1")
        #expect(drawn.proof.seedInput.hasPrefix(DrawSchemeVersion.v1.tag.hexString))
        #expect(drawn.detail.precomputableNote == nil)
        #expect(await fixture.log.contestAnnouncements.last?.text.contains("secret revealed: \(secret.hexString)") == true)
        let recomputed = try DrawScheme.draw(secret: secret, commitment: v1, beacon: FakeDrandRelay.beacon(round: round),
                                             entries: try EntryList.parse(bytes: try await fixture.service.entriesFile(contestID: id)), winners: 1)
        #expect(recomputed.json == drawn.proofJSON)
        let verification = try await fixture.service.verify(contestID: id)
        #expect(verification.passed, "\(verification.checks.filter { !$0.passed })")
    }

    @Test(arguments: TestDatabaseBackend.all) func withoutABeaconTheSecretStaysHiddenUntilTheDraw(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest(randomness: .none)
        #expect(round == nil)
        let ended = try await fixture.service.detail(contestID: id)
        #expect(ended.contest.commitment?.scheme == "clanbot-draw-v2")
        #expect(ended.publishedSecret == nil && ended.lock?.secret == nil && ended.lockRecipe == nil)
        #expect(ended.randomnessWarning == RandomnessMode.noneWarning)
        let secret = try #require(try await fixture.store.read { db in try db.contests.secret(contestID: id) }).hexString
        #expect(await fixture.log.contestAnnouncements.allSatisfy { !$0.text.contains(secret) })
        let publishedSecrets = await fixture.log.contestAnnouncements.compactMap { $0.webhookMessage(clanName: "x", at: Date())?.data["secret"] }
        #expect(publishedSecrets.isEmpty)
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(drawn.proof.secret == secret)
        #expect(drawn.detail.precomputableNote == nil)
        #expect(await fixture.log.contestAnnouncements.last?.text.contains("secret revealed: \(secret)") == true)
    }
}
