import Foundation

/// Which shards this process runs: all of them (the default, count from `GET /gateway/bot`) or a slice
/// `i..j/n` (shards i through j, inclusive, of n in total) so that shards can be spread over processes or machines.
public struct ShardSelection: Sendable, Equatable, CustomStringConvertible {
    public var first: Int
    public var last: Int
    public var count: Int

    public init(first: Int, last: Int, count: Int) {
        self.first = first
        self.last = last
        self.count = count
    }

    public static func all(count: Int) -> ShardSelection {
        ShardSelection(first: 0, last: max(count, 1) - 1, count: max(count, 1))
    }

    public var shards: [ShardID] { (first...last).map { ShardID(index: $0, count: count) } }

    public var description: String { first == last ? "\(first)/\(count)" : "\(first)..\(last)/\(count)" }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case outOfRange(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "'\(text)' is not a shard selection. Use i..j/n for shards i through j of n (e.g. 0..3/8), or i/n for one shard."
            case .outOfRange(let detail): detail
            }
        }
    }

    /// Parses `i..j/n` or `i/n`.
    public static func parse(_ text: String) throws(ParseError) -> ShardSelection {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[1]) else { throw .malformed(text) }
        let range = parts[0].components(separatedBy: "..")
        let first: Int
        let last: Int
        switch range.count {
        case 1:
            guard let index = Int(range[0]) else { throw .malformed(text) }
            (first, last) = (index, index)
        case 2:
            guard let lower = Int(range[0]), let upper = Int(range[1]) else { throw .malformed(text) }
            (first, last) = (lower, upper)
        default:
            throw .malformed(text)
        }
        guard count >= 1 else { throw .outOfRange("the shard count in '\(text)' must be at least 1") }
        guard first >= 0, first <= last else {
            throw .outOfRange("the shard range in '\(text)' must run from a smaller to a larger (or equal) non-negative id")
        }
        guard last < count else {
            throw .outOfRange("shard \(last) does not exist when there are \(count) shards: ids run from 0 to \(count - 1)")
        }
        return ShardSelection(first: first, last: last, count: count)
    }
}
