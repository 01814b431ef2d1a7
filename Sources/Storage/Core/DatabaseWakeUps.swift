import Foundation
import PostgresClient

/// "Something new" wake-ups from PostgreSQL (`DatabaseWakeUp`): a connection of its own LISTENs on a channel, and each NOTIFY there is
/// one element. When the connection drops it connects again after `reconnectAfter` and, once listening, yields one
/// element at once: whatever was notified while nobody listened is found by the pass that element starts.
/// Several notifications arriving while the reader works are one element (the reader looks at everything anyway).
public enum DatabaseWakeUp: Sendable, Equatable {
    /// LISTEN took effect (first, or again after a drop): look at everything once.
    case listening
    /// A NOTIFY on the channel.
    case notified
}

enum DatabaseWakeUps {
    static func listen(_ configuration: PostgresConfiguration, channel: String, reconnectAfter: Duration,
                       log: @escaping @Sendable (String) -> Void) -> AsyncStream<DatabaseWakeUp> {
        let (stream, continuation) = AsyncStream<DatabaseWakeUp>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            var dropped = false
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration)
                    do {
                        try await connection.listen(channel)
                    } catch {
                        connection.abort()
                        throw error
                    }
                    if dropped { log("LISTEN \(channel): listening again; catching up") }
                    // Anything committed before LISTEN took effect (at start, or while the connection was down).
                    continuation.yield(.listening)
                    for await _ in connection.notifications { continuation.yield(.notified) }
                    if Task.isCancelled {
                        await connection.close()
                        break
                    }
                    log("LISTEN \(channel): the connection dropped (\(connection.endReason.map { "\($0)" } ?? "closed")); connecting again")
                    connection.abort()
                } catch {
                    if Task.isCancelled { break }
                    log("LISTEN \(channel): cannot listen on \(configuration.redactedURL): \(error); trying again in \(reconnectAfter)")
                }
                dropped = true
                try? await Task.sleep(for: reconnectAfter)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

extension Store {
    /// NOTIFYs on `channel` as wake-ups, over a connection of their own (see `DatabaseWakeUps`); nil on SQLite, which
    /// has no such thing. The connection closes when the stream's reader stops reading.
    public nonisolated func wakeUps(channel: String, reconnectAfter: Duration = .seconds(2),
                                    log: @escaping @Sendable (String) -> Void = { _ in }) -> AsyncStream<DatabaseWakeUp>? {
        guard let postgresConfiguration else { return nil }
        return DatabaseWakeUps.listen(postgresConfiguration, channel: channel, reconnectAfter: reconnectAfter, log: log)
    }
}
