import Foundation

/// Runs CPU-bound test work (thousands of mutation cases) on a thread of its own, so it never holds one of
/// Swift's two cooperative threads for seconds while other tests wait on their local servers.
/// `body` reports problems by returning them: an `#expect` off the test's task would not be attributed.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = "test-off-pool"
        thread.start()
    }
}
