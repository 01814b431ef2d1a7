import Foundation

/// Runs a child process (python3, /bin/true, …) for tests without blocking Swift's cooperative
/// thread pool: on a 2-core machine that pool has two threads, and one `waitUntilExit()` inside an
/// async test stalls every other test, whose local servers then time out.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let processIdentifier: Int32
        public let output: Data
        public let errorOutput: Data

        public var text: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: errorOutput, as: UTF8.self) }
    }

    /// Runs `arguments` (looked up on PATH through /usr/bin/env), feeds `input` to its standard input,
    /// and returns its exit status and what it printed.
    public static func run(_ arguments: [String], input: Data? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runBlocking(arguments, input: input))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "ChildProcess:\(arguments.first ?? "")"
            thread.start()
        }
    }

    /// The blocking form, for code that already runs on a thread of its own.
    public static func runBlocking(_ arguments: [String], input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        // Read standard error elsewhere so a chatty child cannot fill one pipe and stall.
        let errors = LockedValue(Data())
        let reading = DispatchGroup()
        let errorHandle = stderr.fileHandleForReading
        DispatchQueue.global().async(group: reading) { errors.withLock { $0 = errorHandle.readDataToEndOfFile() } }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, processIdentifier: process.processIdentifier,
                      output: output, errorOutput: errors.value)
    }
}
