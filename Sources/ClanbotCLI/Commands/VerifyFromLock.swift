import Cryptography
import Domain
import Foundation

extension VerifyCommand {
    /// `clanbot verify --lock LOCK.json --entries ENTRIES.txt --signature HEX`: the draw of a clanbot-draw-v2 contest
    /// computed from what its end published (docs/draw-scheme.md §7.4) and round R, before or after the leader draws.
    /// The lock's digest, N, commitment, contest and round become published values, so a different file or secret FAILs.
    static func proofFromLock(_ options: inout Options, entryFile: [UInt8]?) throws -> DrawProof {
        guard let path = options.lockPath else { throw CommandLineError.usage("--lock needs a file") }
        let lock: DrawLockRecord
        do {
            lock = try JSONDecoder().decode(DrawLockRecord.self, from: Data(try read(path, what: "lock record")))
        } catch let error as CommandLineError {
            throw error
        } catch {
            throw CommandLineError.failed("\(path) is not a lock record ({scheme, activation, entries, winners_requested, secret}): \(error)")
        }
        guard let secretHex = lock.secret, let secret = [UInt8](hexString: secretHex) else {
            throw CommandLineError.failed("\(path) does not publish the secret (\(lock.scheme), randomness \(lock.activation.randomness.storedMode)): the winners are known only from the draw's proof (clanbot verify --proof)")
        }
        guard case .drandQuicknet(let round) = lock.activation.randomness else {
            throw CommandLineError.failed("\(path) has no beacon round")
        }
        guard let signature = options.signature else {
            throw CommandLineError.usage("with --lock, --signature is needed: the signature of drand quicknet round \(round) (any relay: \(DrandQuicknet.path(ofRound: round)))")
        }
        guard let file = entryFile else { throw CommandLineError.usage("with --lock, --entries is needed: the entry file the lock published") }
        let entries: EntryList
        do {
            entries = try EntryList.parse(bytes: file)
        } catch {
            throw CommandLineError.failed("the entry file cannot be read as an entry list (docs/draw-scheme.md §4.1): \(error)")
        }
        let computed = [UInt8](hexString: signature).map { Digest.sha256($0).hexString } ?? ""
        let beacon = BeaconRound(round: round, randomness: options.randomness ?? computed, signature: signature)
        // What the lock published is compared with what the files give (unless the caller typed their own values).
        options.published.scheme = options.published.scheme ?? lock.scheme
        options.published.contestID = options.published.contestID ?? lock.activation.contestID
        options.published.commitment = options.published.commitment ?? lock.activation.commitment
        options.published.round = options.published.round ?? round
        options.published.entriesDigest = options.published.entriesDigest ?? lock.entries.digest
        options.published.ticketCount = options.published.ticketCount ?? lock.entries.ticketCount
        do {
            return try DrawScheme.reconstruct(secret: secret, commitment: lock.activation, beacon: beacon, entries: entries, winners: lock.winnersRequested)
        } catch {
            throw CommandLineError.failed("the draw cannot be computed from \(path): \(error)")
        }
    }
}
