/// A `postgres://` URL that cannot be used, with what is wrong in words an operator can act on.
/// The password is never part of the message.
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String {
        "invalid PostgreSQL URL: \(reason) (expected postgres://user:password@host:port/database?sslmode=disable|require|verify-full)"
    }
}
