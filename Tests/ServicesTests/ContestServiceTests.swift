import DatabaseTestTraits
import Cryptography
import Domain
import Foundation
import Storage
import Transport
import Testing
import TestSupport
@testable import Services

/// The contest lifecycle through the service: every step on a real SQLite file, draws against a fake drand relay.
@Suite(.databaseTests) struct ContestServiceTests {
    @Test(arguments: TestDatabaseBackend.all) func aContestGoesFromDraftToDrawnAndTheProofVerifies(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let service = fixture.service
        let id = try await fixture.draftWithRules()

        let activation = try await service.activate(contestID: id)
        #expect(activation.detail.status == .active)
        #expect(activation.commitment.commitment.count == 64)
        #expect(activation.commitment.rulesDigest == ContestRule.digest(activation.detail.contest.rules).hexString)
        let expectedRound = DrandQuicknet.firstRound(afterMilliseconds: DrawClock.milliseconds(ContestFixture.end) + 900_000)
        #expect(activation.commitment.randomness == .drandQuicknet(round: expectedRound))
        #expect(activation.detail.randomnessWarning == nil)
        // The stored secret is the one committed to, and it is 32 bytes.
        let secret = try await fixture.store.read { db in try db.contests.secret(contestID: id) }
        #expect(secret.map { Digest.sha256($0).hexString } == activation.commitment.commitment)
        #expect(secret?.count == 32)

        fixture.clock.set(ContestFixture.afterEnd)
        let ended = try await service.end(contestID: id)
        let expectedFile = "b0aty\nb0aty\nzezima\nzezima\nzezima\n"
        #expect(String(decoding: ended.entryFile, as: UTF8.self) == expectedFile)
        #expect(ended.detail.contest.entries?.digest == Digest.sha256(Array(expectedFile.utf8)).hexString)
        #expect(ended.detail.contest.entries?.ticketCount == 5)
        #expect(ended.detail.entries?.holders == [ContestTicketHolder(name: "b0aty", tickets: 2), ContestTicketHolder(name: "zezima", tickets: 3)])
        #expect(ended.detail.entries?.entries.count == 3)
        #expect(Set(ended.detail.entries?.excluded.map(\.name) ?? []) == ["Woox", "Settled"])

        fixture.clock.set(DrandQuicknet.publicationTime(ofRound: expectedRound).addingTimeInterval(1))
        let drawn = try await service.draw(contestID: id)
        #expect(!drawn.alreadyDrawn)
        #expect(drawn.detail.status == .drawn)
        #expect(drawn.winners.count == 1)
        #expect(["b0aty", "zezima"].contains(drawn.winners.first?.ticket ?? ""))
        #expect(drawn.proof.beacon == FakeDrandRelay.beacon(round: expectedRound))
        #expect(drawn.proof.secret == secret?.hexString)
        #expect(drawn.recipe.contains("clanbot verify --proof"))
        #expect(fixture.relay.requestedRounds == [expectedRound])

        // The same draw, recomputed from the published values alone, picks the same winner.
        let recomputed = try DrawScheme.draw(secret: secret ?? [], commitment: activation.commitment, beacon: FakeDrandRelay.beacon(round: expectedRound),
                                             entries: try EntryList.parse(text: expectedFile), winners: 1)
        #expect(recomputed.json == drawn.proofJSON)

        let verification = try await service.verify(contestID: id)
        #expect(verification.passed, "\(verification.checks.filter { !$0.passed })")
        #expect(try await service.entriesFile(contestID: id) == Array(expectedFile.utf8))
        #expect(await fixture.log.contestEvents == ["contest.activated", "contest.ended", "contest.drawn"])
        #expect(await fixture.log.contestAnnouncements.last?.text.contains("secret (published when the entries locked): \(secret?.hexString ?? "?")") == true)
    }

    @Test(arguments: TestDatabaseBackend.all) func aSecondDrawReturnsTheStoredResultWithoutFetchingAgain(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, _) = try await fixture.endedContest(winners: 2)
        let first = try await fixture.service.draw(contestID: id)
        let second = try await fixture.service.draw(contestID: id)
        #expect(second.alreadyDrawn)
        #expect(second.proofJSON == first.proofJSON)
        #expect(second.winners == first.winners)
        #expect(second.winners.map(\.ticket).sorted() == ["b0aty", "zezima"])
        #expect(fixture.relay.requests.count == 1)
        #expect(await fixture.log.contestEvents.filter { $0 == "contest.drawn" }.count == 1)
        let rows = try await fixture.store.read { db in try db.scalar("SELECT count(*) FROM contest_draws WHERE contest_id = ?", [id], as: Int.self) }
        #expect(rows == 2)
    }

    @Test(arguments: TestDatabaseBackend.all) func theDrawWaitsForARoundThatDoesNotExistYet(_ backend: TestDatabaseBackend) async throws {
        // Room for four attempts 20 ms apart even when each request is slow on a loaded machine.
        let fixture = try await ContestFixture(backend, maximumWait: .seconds(60))
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        let committed = try #require(round)
        fixture.relay.notYetAvailable(round: committed, forFirst: 3)
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(drawn.detail.status == .drawn)
        #expect(fixture.relay.requestedRounds == Array(repeating: committed, count: 4))
    }

    @Test(arguments: TestDatabaseBackend.all) func aRoundThatNeverAppearsGivesUpWithoutStoringAnything(_ backend: TestDatabaseBackend) async throws {
        // Long enough for a second attempt 20 ms after the first even when the machine is loaded.
        let fixture = try await ContestFixture(backend, maximumWait: .seconds(2))
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        let committed = try #require(round)
        fixture.relay.script(round: committed, Array(repeating: .status(503), count: 1000))
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            guard case .beaconUnavailable(let failed, _, let attempts, let last)? = error as? ContestServiceError else { return false }
            return failed == committed && attempts > 1 && last.contains("503")
        }
        #expect(try await fixture.service.detail(contestID: id).status == .ended)
    }

    @Test(arguments: TestDatabaseBackend.all) func aRandomnessThatIsNotTheHashOfTheSignatureIsRefusedAndNothingIsStored(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        let committed = try #require(round)
        fixture.relay.tamper(round: committed, randomness: String(repeating: "ab", count: 32))
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            guard case .beaconRefused(_, .randomnessMismatch)? = error as? ContestServiceError else { return false }
            return "\(error)".contains("SHA-256(signature)") && "\(error)".contains("nothing was stored")
        }
        let stored = try await fixture.service.detail(contestID: id)
        #expect(stored.status == .ended)
        #expect(stored.draw == nil)
        #expect(try await fixture.store.read { db in try db.scalar("SELECT count(*) FROM contest_draws", as: Int.self) } == 0)
        #expect(await fixture.log.contestEvents.contains("contest.drawn") == false)

        // A relay answering another round is refused the same way.
        fixture.relay.script(round: committed, [.json(#"{"round": 3, "randomness": "\#(FakeDrandRelay.quicknetRound3.randomness)", "signature": "\#(FakeDrandRelay.quicknetRound3.signature)"}"#)])
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            guard case .beaconRefused(_, .wrongRound)? = error as? ContestServiceError else { return false }
            return true
        }
        // Once the relay serves the real round, the draw goes through.
        fixture.relay.publish(FakeDrandRelay.beacon(round: committed))
        #expect(try await fixture.service.draw(contestID: id).detail.status == .drawn)
    }

    @Test(arguments: TestDatabaseBackend.all) func aForgedBLSSignatureIsRefusedBeforeTheDrawAndNothingIsStored(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        let committed = try #require(round)
        // Another round's genuine signature, with randomness = SHA-256 of it: only the pairing check catches it.
        fixture.relay.forgeSignature(round: committed, signatureOfRound: committed + 1)
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            guard case .beaconRefused(_, .signatureInvalid(_, .signatureMismatch, _))? = error as? ContestServiceError else { return false }
            return "\(error)".contains("BLS signature") && "\(error)".contains("nothing was stored")
        }
        let stored = try await fixture.service.detail(contestID: id)
        #expect(stored.draw == nil)
        #expect(await fixture.log.contestEvents.contains("contest.drawn") == false)
        fixture.relay.publish(FakeDrandRelay.beacon(round: committed))
        #expect(try await fixture.service.draw(contestID: id).detail.status == .drawn)
    }

    @Test(arguments: TestDatabaseBackend.all) func roundsSignedWithAnotherKeyThanTheConfiguredOneAreRefused(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, _) = try await fixture.endedContest()
        // The same store, but a service that expects quicknet's key while the relay signs with its test key.
        let quicknetService = ContestService(store: fixture.store, http: try HTTPClient(), drandBase: fixture.relay.baseURL,
                                             configuration: .init(beaconRetryInterval: .milliseconds(20), beaconMaximumWait: .seconds(5)),
                                             clock: fixture.clock.dateSource)
        await #expect {
            _ = try await quicknetService.draw(contestID: id)
        } throws: { error in
            guard case .beaconRefused(_, .signatureInvalid(_, .signatureMismatch, let key))? = error as? ContestServiceError else { return false }
            return key == "the quicknet public key"
        }
        #expect(try await fixture.service.detail(contestID: id).draw == nil)
    }

    @Test(arguments: TestDatabaseBackend.all) func aDrawLongBeforeTheRoundIsPublishedSaysWhenToComeBack(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        fixture.clock.set(ContestFixture.afterEnd)
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            guard case .beaconNotYetPublished(let waiting, _)? = error as? ContestServiceError else { return false }
            return waiting == round && "\(error)".contains("draw after that time")
        }
        #expect(fixture.relay.requests.isEmpty)
    }

    @Test(arguments: TestDatabaseBackend.all) func withoutABeaconTheWarningIsPublishedAndTheDrawNeedsNoRelay(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, http: false)
        defer { fixture.remove() }
        let id = try await fixture.draftWithRules(randomness: .none)
        let activation = try await fixture.service.activate(contestID: id)
        #expect(activation.commitment.randomness == .none)
        #expect(activation.announcement.contains(RandomnessMode.noneWarning))
        #expect(activation.detail.randomnessWarning == RandomnessMode.noneWarning)
        fixture.clock.set(ContestFixture.afterEnd)
        _ = try await fixture.service.end(contestID: id)
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(drawn.proof.beacon == nil)
        #expect(try await fixture.service.verify(contestID: id).passed)
    }

    @Test(arguments: TestDatabaseBackend.all) func aDrandContestCannotBeDrawnWithoutARelay(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend, http: false)
        defer { fixture.remove() }
        let (id, _) = try await fixture.endedContest()
        await #expect {
            _ = try await fixture.service.draw(contestID: id)
        } throws: { error in
            if case .noBeaconClient? = error as? ContestServiceError { return true }
            return false
        }
    }

    @Test(arguments: TestDatabaseBackend.all) func moreWinnersThanPeopleDrawsEveryoneAndSaysSo(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, _) = try await fixture.endedContest(winners: 3)
        let drawn = try await fixture.service.draw(contestID: id)
        #expect(drawn.winners.map(\.ticket).sorted() == ["b0aty", "zezima"])
        #expect(drawn.proof.winnersRequested == 2)
        #expect(drawn.detail.winnersNote?.contains("asked for 3 winners") == true)
        #expect(try await fixture.service.verify(contestID: id).passed)
    }
}

@Suite(.databaseTests) struct ContestWebhookMessageTests {
    @Test(arguments: TestDatabaseBackend.all) func eachPublishedStepBecomesAWebhookMessageWithItsValues(_ backend: TestDatabaseBackend) async throws {
        let fixture = try await ContestFixture(backend)
        defer { fixture.remove() }
        let (id, round) = try await fixture.endedContest()
        _ = try await fixture.service.draw(contestID: id)
        let messages = await fixture.log.contestAnnouncements.compactMap { $0.webhookMessage(clanName: "Iron Legion", at: ContestFixture.end) }
        #expect(messages.map(\.event) == [.contestActivated, .contestEnded, .contestDrawn])
        let detail = try await fixture.service.detail(contestID: id)
        #expect(messages[0].data["commitment"] == detail.commitmentHash)
        #expect(messages[0].data["beacon_round"] == round.map(String.init))
        #expect(messages[1].data["entries_digest"] == detail.contest.entries?.digest)
        #expect(messages[1].data["ticket_count"] == "5")
        #expect(messages[1].data["excluded"]?.contains("Woox") == true)
        #expect(messages[2].data["secret"] == detail.draw?.proof.secret)
        #expect(messages[2].data["winners"] == detail.winners.map(\.ticket).joined(separator: ","))
        #expect(messages[2].fields.contains { $0.name == "Verify" && $0.value == detail.recipe })
        let cancelled = try await fixture.service.cancel(contestID: try await fixture.draftWithRules(), reason: "test")
        #expect(ContestAnnouncement.cancelled(cancelled).webhookMessage(clanName: "x", at: Date()) == nil)
    }
}
