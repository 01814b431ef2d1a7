import Cryptography
import Domain
import Foundation

/// `clanbot verify`: recomputes a contest draw (docs/draw-scheme.md) from a proof file or from the published
/// values, prints every intermediate value with PASS or FAIL, and exits 0 only when everything passes.
enum VerifyCommand {
    static let subcommand = Subcommand(
        name: "verify",
        summary: "check a contest draw from its published values: every step recomputed, PASS or FAIL",
        usage: """
        Usage: clanbot verify --proof PROOF.json [--entries ENTRIES.txt] [published values]
               clanbot verify --scheme SCHEME --contest ID --end-at-ms MS --secret HEX --commitment HEX
                              (--round R --signature HEX [--randomness HEX] | --no-beacon)
                              --entries ENTRIES.txt [--winners K] [published values]
               clanbot verify --lock LOCK.json --entries ENTRIES.txt --signature HEX [published values]

        Recomputes a contest draw (\(DrawSchemeVersion.known)): the commitment, the beacon round and its BLS
        signature (against quicknet's key, or DRAND_PUBLIC_KEY), the entry file's digest, the seed, each counter
        of the stream and the winners, and prints PASS or FAIL for each.
        Exit status 0 only when every check passes, 1 when one fails, 64 for a usage mistake.

        With a proof, the scheme is the proof's. Without one, --scheme is needed (v1 or v2 for short): the
        contest's announcements name it. Under clanbot-draw-v2 the secret is published when the entries lock,
        so from the moment beacon round R is out anyone can compute the winners this way, before the draw;
        --lock takes the lock record the end published (clanbot contest lock ID, or the webhook's lock_record)
        and needs only round R's signature besides the entry file.

        Published values (what you saw announced earlier; each is compared with the proof):
          --contest ID  --commitment HEX  --round R  --entries-digest HEX  --tickets N  --winner NAME (repeatable)
          --scheme SCHEME

        A ranked or team contest's result (its proof or lock record says `kind`) is checked the same way with its
        ranking file as --entries: the seed, each tie-break key of equal scores, the final order and the winners.

        The same checks with sha256sum, openssl and Python are in docs/draw-scheme.md.
        """
    ) { context in
        var options = try Options(arguments: context.arguments)
        let entryFile: [UInt8]? = try options.entriesPath.map { try read($0, what: "entry file") }
        if let status = try verifyRankingIfRanking(&options, entryFile: entryFile, drandPublicKey: try context.configuration.resolvedDrandPublicKey(),
                                                   print: { context.output.print($0) }) {
            return status
        }
        let proof = try options.proofPath != nil ? proofFromFile(options)
            : options.lockPath != nil ? proofFromLock(&options, entryFile: entryFile) : proofFromFlags(options, entryFile: entryFile)
        let checks = DrawVerifier.verify(proof: proof, entryFile: entryFile, published: options.published,
                                         drandPublicKey: try context.configuration.resolvedDrandPublicKey())
        for line in report(proof: proof, checks: checks, notes: DrawVerifier.notes(proof: proof, entryFileGiven: entryFile != nil)) {
            context.output.print(line)
        }
        return checks.allSatisfy(\.passed) ? 0 : 1
    }

    /// The printed report: the values, then one line per check, then what was not covered.
    static func report(proof: DrawProof, checks: [DrawCheck], notes: [String]) -> [String] {
        var lines = ["\(proof.scheme) draw of contest \(proof.activation.contestID)"]
        lines.append("  scheme            \(proof.scheme)")
        lines.append("  secret            \(proof.secret)")
        lines.append("  commitment        \(proof.activation.commitment)")
        if let beacon = proof.beacon {
            lines.append("  beacon round      \(beacon.round)")
            lines.append("  signature         \(beacon.signature)")
            lines.append("  randomness        \(beacon.randomness)")
        } else {
            lines.append("  beacon            none (\(RandomnessMode.noneWarning))")
        }
        lines.append("  entries digest    \(proof.entries.digest) (N = \(proof.entries.ticketCount))")
        lines.append("  seed input        \(proof.seedInput)")
        lines.append("  seed              \(proof.seed)")
        lines.append("  acceptance limit  \(proof.acceptanceLimit)")
        lines.append("")
        let width = min(24, checks.map(\.name.count).max() ?? 0)
        for check in checks {
            lines.append("\(check.passed ? "PASS" : "FAIL")  \(check.name.padding(toLength: max(width, check.name.count), withPad: " ", startingAt: 0))  \(check.detail)")
        }
        lines.append("")
        for note in notes { lines.append("note: \(note)") }
        let failed = checks.filter { !$0.passed }
        if failed.isEmpty {
            lines.append("All \(checks.count) checks passed. Winners: \(proof.winners.map(\.name).joined(separator: ", ")).")
        } else {
            lines.append("\(failed.count) of \(checks.count) checks FAILED: \(failed.map(\.name).joined(separator: ", ")).")
        }
        return lines
    }

    static func proofFromFile(_ options: Options) throws -> DrawProof {
        guard let path = options.proofPath else { throw CommandLineError.usage("--proof needs a file") }
        do {
            return try DrawProof.decode(json: Data(try read(path, what: "proof")))
        } catch let error as DrawError {
            throw CommandLineError.failed("\(path): \(error)")
        }
    }

    /// Builds the draw from typed-in values; the verifier then compares it with what was published.
    static func proofFromFlags(_ options: Options, entryFile: [UInt8]?) throws -> DrawProof {
        func need<T>(_ value: T?, _ flag: String) throws -> T {
            guard let value else { throw CommandLineError.usage("without --proof, \(flag) is needed (see 'clanbot verify --help')") }
            return value
        }
        let version = try need(options.scheme, "--scheme (clanbot-draw-v1 or clanbot-draw-v2, as the contest's announcements say)")
        let contestID = try need(options.published.contestID, "--contest")
        let endAt = try need(options.endAtMilliseconds, "--end-at-ms")
        let secretHex = try need(options.secret, "--secret")
        guard let secret = [UInt8](hexString: secretHex) else { throw CommandLineError.usage("--secret must be hexadecimal") }
        let commitment = try need(options.published.commitment, "--commitment")
        let file = try need(entryFile, "--entries")
        let randomness: RandomnessMode
        var beacon: BeaconRound?
        if options.noBeacon {
            randomness = .none
        } else {
            let round = try need(options.published.round, "--round (or --no-beacon)")
            let signature = try need(options.signature, "--signature")
            let computed = [UInt8](hexString: signature).map { Digest.sha256($0).hexString } ?? ""
            randomness = .drandQuicknet(round: round)
            beacon = BeaconRound(round: round, randomness: options.randomness ?? computed, signature: signature)
        }
        let activation = DrawCommitment(scheme: version.identifier, contestID: contestID, endAtMilliseconds: endAt, commitment: commitment, rulesDigest: "(not given)", randomness: randomness)
        let entries: EntryList
        do {
            entries = try EntryList.parse(bytes: file)
        } catch {
            throw CommandLineError.failed("the entry file cannot be read as an entry list (docs/draw-scheme.md §4.1): \(error)")
        }
        do {
            return try DrawScheme.reconstruct(secret: secret, commitment: activation, beacon: beacon, entries: entries, winners: options.winners ?? 1)
        } catch {
            throw CommandLineError.failed("the draw cannot be recomputed: \(error)")
        }
    }

    static func read(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandLineError.failed("cannot read the \(what) '\(path)': no such file, or not readable")
        }
        return Array(data)
    }

    /// The command's flags.
    struct Options {
        var proofPath: String?
        var lockPath: String?
        var entriesPath: String?
        var published = PublishedValues()
        var endAtMilliseconds: Int64?
        var secret: String?
        var signature: String?
        var randomness: String?
        var noBeacon = false
        var winners: Int?
        var scheme: DrawSchemeVersion?

        init(arguments: [String]) throws {
            var index = 0
            func value(_ flag: String, _ inline: String?) throws -> String {
                if let inline { return inline }
                index += 1
                guard index < arguments.count else { throw CommandLineError.missingValue(flag: flag) }
                return arguments[index]
            }
            func number<T: FixedWidthInteger>(_ flag: String, _ text: String) throws -> T {
                guard let number = T(text), number >= 0 else { throw CommandLineError.usage("\(flag) must be a whole number, got '\(text)'") }
                return number
            }
            while index < arguments.count {
                let argument = arguments[index]
                var flag = argument
                var inline: String?
                if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                    flag = String(argument[..<equals])
                    inline = String(argument[argument.index(after: equals)...])
                }
                switch flag {
                case "--proof": proofPath = try value(flag, inline)
                case "--lock": lockPath = try value(flag, inline)
                case "--entries": entriesPath = try value(flag, inline)
                case "--contest": published.contestID = try number(flag, try value(flag, inline))
                case "--commitment": published.commitment = try value(flag, inline)
                case "--round": published.round = try number(flag, try value(flag, inline))
                case "--entries-digest": published.entriesDigest = try value(flag, inline)
                case "--tickets": published.ticketCount = try number(flag, try value(flag, inline))
                case "--winner": published.winners = (published.winners ?? []) + [try value(flag, inline)]
                case "--end-at-ms": endAtMilliseconds = try number(flag, try value(flag, inline))
                case "--secret": secret = try value(flag, inline)
                case "--signature": signature = try value(flag, inline)
                case "--randomness": randomness = try value(flag, inline)
                case "--winners": winners = try number(flag, try value(flag, inline))
                case "--no-beacon": noBeacon = true
                case "--scheme":
                    let name = try value(flag, inline)
                    guard let version = DrawSchemeVersion(name: name) else {
                        throw CommandLineError.usage("--scheme must be \(DrawSchemeVersion.known) (or v1, v2), got '\(name)'")
                    }
                    scheme = version
                    published.scheme = version.identifier
                default: throw CommandLineError.usage("unknown option '\(argument)'")
                }
                index += 1
            }
            if proofPath == nil, arguments.isEmpty {
                throw CommandLineError.usage("give --proof FILE, or the published values (see 'clanbot verify --help')")
            }
            if proofPath != nil, secret != nil || signature != nil || noBeacon || endAtMilliseconds != nil || lockPath != nil {
                throw CommandLineError.usage("with --proof, the secret, beacon and end time come from the proof; pass only published values to compare")
            }
            if lockPath != nil, secret != nil || noBeacon || endAtMilliseconds != nil || winners != nil {
                throw CommandLineError.usage("with --lock, the secret, end time and winner count come from the lock record; add --signature and --entries")
            }
        }
    }
}
