import Foundation

/// Collects what a command prints, for tests that drive `clanbot` in-process.
public final class CapturedOutput: Sendable {
    private let lines = LockedValue<(out: [String], err: [String])>(([], []))
    /// Every printed line, again, for `waitForLine(containing:)`.
    private let printed = AsyncMailbox<String>()

    public init() {}

    public func print(_ line: String) {
        lines.withLock { $0.out.append(line) }
        printed.send(line)
    }

    public func error(_ line: String) { lines.withLock { $0.err.append(line) } }

    public var standardOutput: String { lines.value.out.joined(separator: "\n") }
    public var standardError: String { lines.value.err.joined(separator: "\n") }

    /// Returns once a line of standard output contains `text` (at once if one already does), without polling;
    /// throws `TimedOutWaiting` after `timeout`. Generous by default: a loaded machine can take seconds to
    /// start the bot, and a passing wait returns at once. One waiter at a time.
    public func waitForLine(containing text: String, within timeout: Duration = .seconds(45)) async throws {
        if lines.value.out.contains(where: { $0.contains(text) }) { return }
        _ = try await printed.next("a line containing \"\(text)\"", within: timeout) { $0.contains(text) ? true : nil }
    }
}
