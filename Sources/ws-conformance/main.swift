import Foundation
import Transport

// ws-conformance: runs every Autobahn|Testsuite fuzzingserver case against our WebSocket client.
// Usage: ws-conformance [ws://127.0.0.1:9001] [--agent NAME] [--cases FIRST-LAST]
// Each case echoes every message back until the server closes; then the server writes its report.

struct ConformanceOptions {
    var server = "ws://127.0.0.1:9001"
    var agent = "clanbot"
    var range: ClosedRange<Int>?

    init(arguments: [String]) throws {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--agent":
                guard let value = remaining.popFirst() else { throw ConformanceError("--agent needs a name") }
                agent = value
            case "--cases":
                let parts = remaining.popFirst()?.split(separator: "-").compactMap { Int($0) } ?? []
                guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1] else { throw ConformanceError("--cases needs FIRST-LAST, e.g. 1-50") }
                range = parts[0]...parts[1]
            case "-h", "--help":
                print("Usage: ws-conformance [ws://host:port] [--agent NAME] [--cases FIRST-LAST]")
                exit(0)
            default:
                guard argument.hasPrefix("ws://") || argument.hasPrefix("wss://") else { throw ConformanceError("unknown argument \(argument)") }
                server = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            }
        }
    }
}

struct ConformanceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Generous limits: section 9 sends messages of up to 16 MiB.
let clientOptions = WebSocketOptions(
    connectTimeout: .seconds(10), readTimeout: .seconds(60), closeTimeout: .seconds(3), maximumMessageSize: 64 * 1024 * 1024)

func url(_ base: String, _ pathAndQuery: String) throws -> URL {
    guard let url = URL(string: base + pathAndQuery) else { throw ConformanceError("bad server URL \(base)") }
    return url
}

/// Reads messages until the server closes; returns the first text message, if any.
func drain(_ client: WebSocketClient) async -> String? {
    var first: String?
    while true {
        do {
            if case .text(let text) = try await client.receive(), first == nil { first = text }
        } catch {
            return first
        }
    }
}

func caseCount(_ options: ConformanceOptions) async throws -> Int {
    let client = try await WebSocketClient.connect(to: try url(options.server, "/getCaseCount"), options: clientOptions)
    guard let text = await drain(client), let count = Int(text) else { throw ConformanceError("/getCaseCount did not answer with a number") }
    return count
}

/// One case: echo everything until the connection ends. Returns how it ended.
func runCase(_ number: Int, _ options: ConformanceOptions) async -> String {
    do {
        let client = try await WebSocketClient.connect(
            to: try url(options.server, "/runCase?case=\(number)&agent=\(options.agent)"), options: clientOptions)
        while true {
            switch try await client.receive() {
            case .text(let text): try await client.send(text: text)
            case .binary(let bytes): try await client.send(binary: bytes)
            }
        }
    } catch {
        return "\(error)"
    }
}

func updateReports(_ options: ConformanceOptions) async throws {
    let client = try await WebSocketClient.connect(to: try url(options.server, "/updateReports?agent=\(options.agent)"), options: clientOptions)
    _ = await drain(client)
}

do {
    let options = try ConformanceOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    let count = try await caseCount(options)
    let cases = options.range.map { $0.clamped(to: 1...max(1, count)) } ?? 1...count
    print("ws-conformance: \(count) cases on \(options.server); running \(cases.lowerBound)-\(cases.upperBound) as agent \(options.agent)")
    let start = Date()
    for number in cases {
        let outcome = await runCase(number, options)
        if number % 25 == 0 || number == cases.upperBound {
            print("  case \(number)/\(count) (\(Int(Date().timeIntervalSince(start))) s): \(outcome)")
        }
    }
    try await updateReports(options)
    print("ws-conformance: done in \(Int(Date().timeIntervalSince(start))) s; the server wrote its report")
} catch {
    FileHandle.standardError.write(Data("ws-conformance: \(error)\n".utf8))
    exit(1)
}
