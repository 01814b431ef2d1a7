import Cryptography
import Domain

/// `clanbot verify-beacon`: checks one drand round's BLS signature (and, when given, its randomness) against the
/// drand public key, and prints PASS or FAIL with the reason.
enum VerifyBeaconCommand {
    static let subcommand = Subcommand(
        name: "verify-beacon",
        summary: "check a drand beacon round's BLS signature: PASS or FAIL with the reason",
        usage: """
        Usage: clanbot verify-beacon --round R --signature HEX [--randomness HEX] [--public-key HEX]

        Checks that SIGNATURE (96 hex digits, as a drand relay serves it) is the League of Entropy's BLS
        signature of quicknet round R, with clanbot's own BLS12-381 arithmetic: no relay is contacted.
        With --randomness, also checks randomness = SHA-256(signature). Prints PASS or FAIL and why.
        Exit status 0 for PASS, 1 for FAIL, 64 for a usage mistake.

        The key is quicknet's unless DRAND_PUBLIC_KEY (or --public-key, 192 hex digits) gives another.
        A round to check: curl https://api.drand.sh\(DrandQuicknet.path(ofRound: 1000))
        """
    ) { context in
        let options = try Options(arguments: context.arguments)
        let key: DrandPublicKey
        if let hex = options.publicKey {
            do {
                key = try DrandPublicKey(hex: hex)
            } catch {
                throw CommandLineError.usage("--public-key: \(error)")
            }
        } else {
            key = try context.configuration.resolvedDrandPublicKey()
        }
        let signatureBytes = [UInt8](hexString: options.signature) ?? []
        let beacon = BeaconRound(round: options.round,
                                 randomness: options.randomness ?? Digest.sha256(signatureBytes).hexString,
                                 signature: options.signature.lowercased())
        do {
            try beacon.validate(expectedRound: options.round, publicKey: key)
        } catch {
            context.output.print("FAIL  \(error)")
            return 1
        }
        context.output.print("PASS  round \(options.round): the BLS signature verifies under \(key); randomness \(beacon.randomness)")
        return 0
    }

    struct Options {
        var round: UInt64
        var signature: String
        var randomness: String?
        var publicKey: String?

        init(arguments: [String]) throws {
            let parsed = try CommandArguments(arguments, options: ["round", "signature", "randomness", "public-key"])
            guard parsed.positionals.isEmpty else {
                throw CommandLineError.usage("verify-beacon takes only options, not '\(parsed.positionals[0])'")
            }
            guard let roundText = parsed.values["round"], let round = UInt64(roundText), round >= 1 else {
                throw CommandLineError.usage("--round R is needed: a round number of 1 or more")
            }
            guard var signature = parsed.values["signature"] else { throw CommandLineError.usage("--signature HEX is needed") }
            if signature.hasPrefix("0x") { signature.removeFirst(2) }
            guard [UInt8](hexString: signature) != nil else {
                throw CommandLineError.usage("--signature must be hexadecimal (96 digits for a quicknet signature)")
            }
            self.round = round
            self.signature = signature
            randomness = parsed.values["randomness"]?.lowercased()
            publicKey = parsed.values["public-key"]
        }
    }
}
