/// Where and how to connect to PostgreSQL, usually parsed from a URL:
/// `postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem`.
public struct PostgresConfiguration: Sendable, Equatable {
    public var host: String
    public var port: UInt16
    public var user: String
    public var password: String?
    public var database: String
    /// verify-full unless the URL says otherwise: a database is worth impersonating.
    public var sslMode: PostgresSSLMode
    /// A PEM file of CAs trusted for this server (`sslrootcert`), in addition to the system store.
    public var sslRootCertificate: String?
    public var applicationName: String
    public var connectTimeout: Duration

    public static let defaultPort: UInt16 = 5432

    public init(
        host: String, port: UInt16 = PostgresConfiguration.defaultPort, user: String, password: String? = nil,
        database: String? = nil, sslMode: PostgresSSLMode = .verifyFull, sslRootCertificate: String? = nil,
        applicationName: String = "clanbot", connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
        self.sslMode = sslMode
        self.sslRootCertificate = sslRootCertificate
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
    }

    /// True for text that means PostgreSQL (`postgres://` or `postgresql://`); anything else is a SQLite path.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The URL with the password replaced by `***`, for logs and error messages.
    public var redactedURL: String {
        var text = "postgres://\(PostgresURLParser.percentEncode(user))"
        if password != nil { text += ":***" }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        text += "@\(hostPart):\(port)/\(PostgresURLParser.percentEncode(database))?sslmode=\(sslMode.rawValue)"
        return text
    }
}

extension PostgresConfiguration {
    /// Parses a `postgres://` URL. User name, password, database and query values may be percent-encoded
    /// (a password holding `@`, `:` or `/` must be). Query parameters: sslmode, sslrootcert,
    /// application_name, connect_timeout (seconds).
    public init(url: String) throws(PostgresURLError) {
        self = try PostgresURLParser.parse(url)
    }
}
