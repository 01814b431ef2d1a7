import Hiscores

/// Gives up on a hiscores operation after `limit` (retries and backoff included): the operation is cancelled
/// (its HTTP transfer aborts) and `HiscoresError.noAnswer` says how long was waited. For interactive commands,
/// where a person is looking at "thinking…"; batch runs call the hiscores without it and keep retrying.
func withinPatience<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw HiscoresError.noAnswer(within: limit) }
        return value
    }
}
