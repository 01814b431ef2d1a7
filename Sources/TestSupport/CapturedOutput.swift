import Foundation

/// Collects what a command prints, for tests that drive `clanbot` in-process.
public final class CapturedOutput: Sendable {
    private let lines = LockedValue<(out: [String], err: [String])>(([], []))

    public init() {}

    public func print(_ line: String) { lines.withLock { $0.out.append(line) } }
    public func error(_ line: String) { lines.withLock { $0.err.append(line) } }

    public var standardOutput: String { lines.value.out.joined(separator: "\n") }
    public var standardError: String { lines.value.err.joined(separator: "\n") }
}
