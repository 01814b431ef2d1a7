import Cryptography
import Foundation

/// The entry file of a ranked or team contest (docs/draw-scheme.md §8.3): one line per competitor with at least one
/// point, `score TAB name LF`, highest score first and equal scores by the name's bytes. The name is the normalised
/// RSN (ranked) or team name (teams); the score is decimal without leading zeros. Its SHA-256 and N (the number of
/// lines) are published when the contest ends, exactly as a raffle's entry file, and take its place in the seed.
public struct RankingFile: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var name: String
        public var score: Int64

        public init(name: String, score: Int64) {
            self.name = name
            self.score = score
        }
    }

    /// Far above any clan.
    public static let maximumLines = 100_000

    /// In canonical order.
    public let lines: [Line]

    private init(lines: [Line]) {
        self.lines = lines
    }

    public var count: Int { lines.count }
    public var text: String { lines.map { "\($0.score)\t\($0.name)\n" }.joined() }
    public var bytes: [UInt8] { Array(text.utf8) }
    public var digest: [UInt8] { Digest.sha256(bytes) }

    static func precedes(_ a: Line, _ b: Line) -> Bool {
        a.score != b.score ? a.score > b.score : RankingText.byteOrder(a.name, b.name)
    }

    /// Builds the canonical file: names normalised (RSN rules, up to `maximumNameLength` characters), scores ≥ 1,
    /// sorted. Two competitors with the same normalised name are refused (the file could not tell them apart).
    public static func build(_ lines: [Line], maximumNameLength: Int = 12) throws(RankingFileError) -> RankingFile {
        guard !lines.isEmpty else { throw .empty }
        guard lines.count <= maximumLines else { throw .tooManyLines(lines.count) }
        var seen = Set<String>()
        var normal: [Line] = []
        for line in lines {
            guard let name = EntryList.normalise(line.name, maximumLength: maximumNameLength) else { throw .invalidName(line.name) }
            guard line.score >= 1 else { throw .scoreBelowOne(name: name, score: line.score) }
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            normal.append(Line(name: name, score: line.score))
        }
        return RankingFile(lines: normal.sorted(by: precedes))
    }

    /// Reads a downloaded ranking file strictly: anything `build` would not have written is an error naming the line.
    public static func parse(bytes: [UInt8], maximumNameLength: Int = ContestTeam.maximumNameLength) throws(RankingFileError) -> RankingFile {
        guard !bytes.isEmpty else { throw .empty }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw .malformed(line: 1, "starts with a byte order mark") }
        guard bytes.last == 0x0A else { throw .malformed(line: 0, "the file does not end with a newline") }
        var lines: [Line] = []
        var seen = Set<String>()
        var number = 0
        for raw in bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard lines.count < maximumLines else { throw .tooManyLines(maximumLines + 1) }
            guard let text = String(validating: Array(raw), as: UTF8.self) else { throw .malformed(line: number, "not UTF-8") }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 2 else { throw .malformed(line: number, "'\(text)' is not `score TAB name`") }
            guard let score = Int64(fields[0]), score >= 1, String(score) == fields[0] else {
                throw .malformed(line: number, "'\(fields[0])' is not a score of 1 or more written without leading zeros")
            }
            let name = fields[1]
            guard EntryList.normalise(name, maximumLength: maximumNameLength) == name else {
                throw .malformed(line: number, "'\(name)' is not a normalised name")
            }
            guard seen.insert(name).inserted else { throw .duplicateName(name) }
            let line = Line(name: name, score: score)
            if let previous = lines.last, !precedes(previous, line) {
                throw .malformed(line: number, "'\(text)' is out of order: higher scores first, equal scores by the name's bytes")
            }
            lines.append(line)
        }
        return RankingFile(lines: lines)
    }
}

/// Why a ranking file could not be built or read. Line numbers count from 1 (0: the file as a whole).
public enum RankingFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooManyLines(Int)
    case invalidName(String)
    case scoreBelowOne(name: String, score: Int64)
    case duplicateName(String)
    case malformed(line: Int, String)

    public var description: String {
        switch self {
        case .empty: "the ranking is empty: nobody scored a point"
        case .tooManyLines(let count): "\(count) lines is more than the \(RankingFile.maximumLines) a ranking accepts"
        case .invalidName(let name): "'\(name)' is not a valid RSN or team name"
        case .scoreBelowOne(let name, let score): "\(name) has \(score) points; the ranking lists scores of 1 or more"
        case .duplicateName(let name): "'\(name)' appears twice; the ranking could not tell them apart"
        case .malformed(let line, let message): line == 0 ? "the ranking file: \(message)" : "ranking file line \(line): \(message)"
        }
    }
}
