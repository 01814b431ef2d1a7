import Cryptography
import Foundation

/// The canonical entry file of the draw scheme (v1 and v2 alike): one ticket per line, each line a normalised RSN,
/// lines sorted by their UTF-8 bytes (so a member's tickets are consecutive), every line ended by "\n".
/// Ticket `i` (0-based) is line `i + 1`. The file's SHA-256 and its line count N are published when the contest ends.
public struct EntryList: Sendable, Hashable {
    /// The most tickets one draw accepts; far above any clan, low enough to keep every file small.
    static let maximumTickets = 1_000_000

    /// One person's tickets, before expansion.
    public struct Entrant: Sendable, Hashable {
        public var accountID: Int64
        public var name: String
        public var tickets: Int

        public init(accountID: Int64, name: String, tickets: Int) {
            self.accountID = accountID
            self.name = name
            self.tickets = tickets
        }
    }

    /// Normalised names, one per ticket, in canonical order.
    public let tickets: [String]

    private init(tickets: [String]) {
        self.tickets = tickets
    }

    /// N, the number of tickets.
    public var count: Int { tickets.count }
    /// The exact bytes of the file.
    public var bytes: [UInt8] { Array(text.utf8) }
    /// The file as text.
    public var text: String { tickets.map { $0 + "\n" }.joined() }
    /// SHA-256 of the file: what `sha256sum entries.txt` prints.
    public var digest: [UInt8] { Digest.sha256(bytes) }
    /// How many different people hold tickets: the most winners a draw can have.
    var distinctNames: Int {
        var count = 0
        var previous: String?
        for ticket in tickets where ticket != previous {
            count += 1
            previous = ticket
        }
        return count
    }

    /// How many tickets each name holds, in file order.
    public var ticketsByName: [(name: String, tickets: Int)] {
        var result: [(name: String, tickets: Int)] = []
        for ticket in tickets {
            if let last = result.last, last.name == ticket {
                result[result.count - 1].tickets += 1
            } else {
                result.append((ticket, 1))
            }
        }
        return result
    }

    /// Normalises an RSN the way the scheme writes it: '_', '-' and whitespace become a space,
    /// leading and trailing spaces go, ASCII letters become lower case. The result must be 1–12 characters
    /// of `a–z`, `0–9` and space; anything else is not an RSN and gives nil. (Team names use the same rule with a
    /// longer `maximumLength`.)
    public static func normalise(_ name: String) -> String? {
        normalise(name, maximumLength: 12)
    }

    public static func normalise(_ name: String, maximumLength: Int) -> String? {
        var scalars: [UInt8] = []
        for scalar in name.unicodeScalars {
            switch scalar {
            case "_", "-": scalars.append(0x20)
            case _ where scalar.properties.isWhitespace: scalars.append(0x20)
            case "A"..."Z": scalars.append(UInt8(scalar.value) + 0x20)
            case "a"..."z", "0"..."9": scalars.append(UInt8(scalar.value))
            default: return nil
            }
        }
        while scalars.first == 0x20 { scalars.removeFirst() }
        while scalars.last == 0x20 { scalars.removeLast() }
        guard (1...maximumLength).contains(scalars.count) else { return nil }
        return String(decoding: scalars, as: UTF8.self)
    }

    /// Builds the canonical list: names normalised, tickets of the same account summed, expanded, sorted.
    /// Two different accounts with the same normalised name cannot be told apart in the file and are refused.
    public static func build(_ entrants: [Entrant]) throws(EntryListError) -> EntryList {
        var ticketsByName: [String: Int] = [:]
        var accountByName: [String: Int64] = [:]
        for entrant in entrants {
            guard let name = normalise(entrant.name) else { throw .invalidName(entrant.name) }
            guard entrant.tickets >= 1 else { throw .invalidTicketCount(name: name, tickets: entrant.tickets) }
            if let other = accountByName[name], other != entrant.accountID {
                throw .sameNameForTwoAccounts(name: name, firstAccount: other, secondAccount: entrant.accountID)
            }
            accountByName[name] = entrant.accountID
            let total = (ticketsByName[name] ?? 0) + entrant.tickets
            guard total <= maximumTickets else { throw .tooManyTickets(total) }
            ticketsByName[name] = total
        }
        let total = ticketsByName.values.reduce(0, +)
        guard total <= maximumTickets else { throw .tooManyTickets(total) }
        guard total > 0 else { throw .empty }
        var tickets: [String] = []
        tickets.reserveCapacity(total)
        for name in ticketsByName.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            tickets += Array(repeating: name, count: ticketsByName[name] ?? 0)
        }
        return EntryList(tickets: tickets)
    }

    /// Reads a downloaded entry file strictly: anything the builder would not have written is an error
    /// naming the line, so a verifier never hashes one file and reads another.
    public static func parse(bytes: [UInt8]) throws(EntryListError) -> EntryList {
        guard !bytes.isEmpty else { throw .empty }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw .byteOrderMark }
        guard bytes.last == 0x0A else { throw .missingFinalNewline }
        var tickets: [String] = []
        var previous: [UInt8]?
        var lineNumber = 0
        for line in bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard tickets.count < maximumTickets else { throw .tooManyTickets(maximumTickets + 1) }
            let lineBytes = Array(line)
            if lineBytes.contains(0x0D) { throw .carriageReturn(line: lineNumber) }
            guard !lineBytes.isEmpty else { throw .emptyLine(line: lineNumber) }
            guard let text = String(validating: lineBytes, as: UTF8.self) else { throw .notUTF8(line: lineNumber) }
            guard let normal = normalise(text), normal == text else {
                throw .notNormalised(line: lineNumber, text: text, expected: normalise(text))
            }
            if let previous, lineBytes.lexicographicallyPrecedes(previous) {
                throw .outOfOrder(line: lineNumber, text: text, previous: String(decoding: previous, as: UTF8.self))
            }
            previous = lineBytes
            tickets.append(text)
        }
        return EntryList(tickets: tickets)
    }

    public static func parse(text: String) throws(EntryListError) -> EntryList {
        try parse(bytes: Array(text.utf8))
    }
}

/// Why an entry list could not be built or read. Line numbers count from 1.
public enum EntryListError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case byteOrderMark
    case missingFinalNewline
    case carriageReturn(line: Int)
    case emptyLine(line: Int)
    case notUTF8(line: Int)
    case notNormalised(line: Int, text: String, expected: String?)
    case outOfOrder(line: Int, text: String, previous: String)
    case invalidName(String)
    case invalidTicketCount(name: String, tickets: Int)
    case sameNameForTwoAccounts(name: String, firstAccount: Int64, secondAccount: Int64)
    case tooManyTickets(Int)

    public var description: String {
        switch self {
        case .empty: "the entry list is empty: a contest without entries cannot be drawn"
        case .byteOrderMark: "the entry file starts with a byte order mark; the canonical file is plain UTF-8 without one"
        case .missingFinalNewline: "the entry file does not end with a newline; every line, the last included, ends with \\n"
        case .carriageReturn(let line): "line \(line) contains a carriage return; the canonical file uses \\n line endings only"
        case .emptyLine(let line): "line \(line) is empty; every line is one ticket"
        case .notUTF8(let line): "line \(line) is not valid UTF-8"
        case .notNormalised(let line, let text, let expected):
            if let expected {
                "line \(line) '\(text)' is not a normalised RSN (expected '\(expected)')"
            } else {
                "line \(line) '\(text)' is not an RSN (1–12 of a–z, 0–9 and space)"
            }
        case .outOfOrder(let line, let text, let previous):
            "line \(line) '\(text)' sorts before line \(line - 1) '\(previous)'; the file must be in byte order"
        case .invalidName(let name): "'\(name)' is not a valid RSN (1–12 letters, digits, spaces, '-' or '_')"
        case .invalidTicketCount(let name, let tickets): "\(name) has \(tickets) tickets; every entrant has at least one"
        case .sameNameForTwoAccounts(let name, let first, let second):
            "accounts \(first) and \(second) both normalise to '\(name)'; the entry file could not tell them apart"
        case .tooManyTickets(let count): "\(count) tickets is more than the \(EntryList.maximumTickets) one draw accepts"
        }
    }
}
