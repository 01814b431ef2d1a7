import Foundation

/// Where a subcommand writes: standard output and error in the real tool, a buffer in tests.
public protocol Output: Sendable {
    func print(_ line: String)
    func error(_ line: String)
}

/// Writes to the process's standard output and standard error.
public struct StandardOutput: Output {
    public init() {}
    public func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    public func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
