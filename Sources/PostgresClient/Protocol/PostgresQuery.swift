/// One statement and its bound parameters (`$1`, `$2`, … in the SQL).
public struct PostgresQuery: Sendable, Equatable {
    public let sql: String
    public let parameters: [PostgresData]

    /// The protocol counts parameters in 16 bits.
    public static let maximumParameters = 65_535

    public init(_ sql: String, _ parameters: [PostgresData] = []) {
        self.sql = sql
        self.parameters = parameters
    }

    /// Why the query cannot be sent at all, or nil when it can.
    var problem: String? {
        if sql.utf8.contains(0) { return "the SQL text holds a NUL byte" }
        if parameters.count > Self.maximumParameters {
            return "\(parameters.count) parameters; PostgreSQL takes at most \(Self.maximumParameters)"
        }
        return nil
    }
}
