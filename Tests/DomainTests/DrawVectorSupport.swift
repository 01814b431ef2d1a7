import Cryptography
import Foundation
import Testing
@testable import Domain

/// A full-draw test vector as stored in docs/draw-vectors/*.json: the inputs (rules text, entry file, and the
/// proof's secret, activation, beacon and winner count) and every intermediate value (the rest of the proof).
struct DrawVector: Codable {
    var comment: String
    /// The activation input that fixed the round (R = first round after end + margin); absent without a beacon.
    var marginSeconds: Int64?
    var rulesText: String
    var entriesFile: String
    /// What the lock published (v2 vectors): with a beacon it carries the secret, so the draw is computable from `t(R)`.
    var lock: DrawLockRecord?
    var proof: DrawProof

    enum CodingKeys: String, CodingKey {
        case comment, marginSeconds = "margin_seconds", rulesText = "rules_text", entriesFile = "entries_file", lock, proof
    }
}

/// A vector of the counter stream alone, for N too large for an entry file: the only way to exercise rejection.
struct StreamVector: Codable {
    struct Step: Codable, Equatable {
        var counter: UInt32
        var block: String
        var x: String
        var xDecimal: String
        var accepted: Bool
        var index: String?

        enum CodingKeys: String, CodingKey {
            case counter, block, x, xDecimal = "x_decimal", accepted, index
        }
    }

    var comment: String
    var seed: String
    var ticketCount: String
    var rejectedTail: String
    var acceptanceLimit: String
    var steps: [Step]

    enum CodingKeys: String, CodingKey {
        case comment, seed, ticketCount = "ticket_count", rejectedTail = "rejected_tail", acceptanceLimit = "acceptance_limit", steps
    }

    /// The stream from counter 0 through the first accepted value.
    static func compute(comment: String, seed: [UInt8], ticketCount: UInt64) -> StreamVector {
        var steps: [Step] = []
        var counter: UInt32 = 0
        while true {
            let sample = DrawScheme.sample(seed: seed, counter: counter, ticketCount: ticketCount)
            steps.append(Step(
                counter: counter, block: sample.block.hexString, x: DrawScheme.bigEndian(sample.x).hexString,
                xDecimal: String(sample.x), accepted: sample.accepted, index: sample.index.map { String($0) }
            ))
            if sample.accepted { break }
            counter += 1
        }
        return StreamVector(
            comment: comment, seed: seed.hexString, ticketCount: String(ticketCount),
            rejectedTail: String(DrawScheme.rejectedTail(ticketCount: ticketCount)),
            acceptanceLimit: DrawScheme.acceptanceLimit(ticketCount: ticketCount), steps: steps
        )
    }
}

enum DrawVectorFiles {
    /// The repository root, found from this file's path (Tests/DomainTests/…).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var directory: URL { root.appendingPathComponent("docs/draw-vectors") }

    static let v1DrawNames = ["n1", "n5", "n8-power-of-two", "several-winners-repeat-skipped", "no-beacon"]
    static let v2DrawNames = ["v2-n5", "v2-several-winners-repeat-skipped", "v2-no-beacon"]
    static let drawNames = v1DrawNames + v2DrawNames
    static let streamNames = ["stream-rejection"]

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name + ".json") }

    static func loadDraw(_ name: String) throws -> DrawVector {
        try JSONDecoder().decode(DrawVector.self, from: Data(contentsOf: url(name)))
    }

    static func loadStream(_ name: String) throws -> StreamVector {
        try JSONDecoder().decode(StreamVector.self, from: Data(contentsOf: url(name)))
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Redoes a vector's draw from its inputs alone: the activation is rebuilt from the end time, margin,
    /// secret and rules text; the entries are parsed from the file.
    static func redo(_ vector: DrawVector) throws -> DrawProof {
        let secret = try #require([UInt8](hexString: vector.proof.secret))
        let beaconChoice: BeaconChoice
        switch vector.proof.activation.randomness {
        case .drandQuicknet: beaconChoice = .drandQuicknet(marginSeconds: try #require(vector.marginSeconds))
        case .none: beaconChoice = .none
        }
        let activation = try DrawCommitment.make(
            contestID: vector.proof.activation.contestID,
            endAtMilliseconds: vector.proof.activation.endAtMilliseconds,
            secret: secret, rulesDigest: Digest.sha256(Array(vector.rulesText.utf8)), beacon: beaconChoice,
            version: try #require(vector.proof.activation.version)
        )
        let entries = try EntryList.parse(text: vector.entriesFile)
        return try DrawScheme.draw(secret: secret, commitment: activation, beacon: vector.proof.beacon, entries: entries, winners: vector.proof.winnersRequested)
    }
}
