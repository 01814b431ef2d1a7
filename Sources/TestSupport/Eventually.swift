import Foundation

/// Polls `condition` every 10 ms, without blocking the task's thread, until it holds or `seconds` pass;
/// returns its last answer. For state that other threads change (servers, pools, background loops).
public func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
