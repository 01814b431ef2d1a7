import Testing
@testable import PostgresClient

@Suite struct PostgresURLTests {
    @Test func readsEveryPartAndPercentDecodes() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://clan%20bot:p%40ss%3Aw%2Frd%25@db.example.org:6543/clan%2Fdata?sslmode=require&sslrootcert=/etc/ca.pem&application_name=bot%201&connect_timeout=7")
        #expect(configuration.user == "clan bot")
        #expect(configuration.password == "p@ss:w/rd%")
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "clan/data")
        #expect(configuration.sslMode == .require)
        #expect(configuration.sslRootCertificate == "/etc/ca.pem")
        #expect(configuration.applicationName == "bot 1")
        #expect(configuration.connectTimeout == .seconds(7))
    }

    @Test func defaultsArePort5432TheUserAsDatabaseAndVerifyFull() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://clanbot@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.database == "clanbot")
        #expect(configuration.password == nil)
        #expect(configuration.sslMode == .verifyFull)
    }

    @Test func bracketedIPv6HostsAndRawAtSignsInPasswords() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:a@b@[::1]:5433/db?sslmode=disable")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5433)
        #expect(configuration.password == "a@b")
        #expect(configuration.sslMode == .disable)
        #expect(configuration.redactedURL == "postgres://u:***@[::1]:5433/db?sslmode=disable")
    }

    @Test func redactedURLNeverShowsThePassword() throws {
        let configuration = try PostgresConfiguration(url: "postgres://bot:hunter2@db:5432/clan")
        #expect(!configuration.redactedURL.contains("hunter2"))
        #expect(configuration.redactedURL == "postgres://bot:***@db:5432/clan?sslmode=verify-full")
    }

    @Test func recognisesPostgresURLsAndLeavesPathsToSQLite() {
        #expect(PostgresConfiguration.isPostgresURL("postgres://a@b/c"))
        #expect(PostgresConfiguration.isPostgresURL("POSTGRESQL://a@b/c"))
        #expect(!PostgresConfiguration.isPostgresURL("/var/lib/clanbot/clanbot.sqlite"))
        #expect(!PostgresConfiguration.isPostgresURL("clanbot.sqlite"))
    }

    @Test(arguments: [
        ("mysql://u@h/d", "scheme"),
        ("postgres:/u@h/d", "postgres://"),
        ("postgres://h/d", "no user name"),
        ("postgres://u@/d", "no host"),
        ("postgres://u@h:0/d", "port"),
        ("postgres://u@h:70000/d", "port"),
        ("postgres://u@h:54x/d", "port"),
        ("postgres://u:%zz@h/d", "password has a %"),
        ("postgres://u:%4@h/d", "password has a %"),
        ("postgres://u:%FF@h/d", "UTF-8"),
        ("postgres://u@h/d?sslmode=prefer", "sslmode=prefer is not supported"),
        ("postgres://u@h/d?sslmode", "has no value"),
        ("postgres://u@h/d?sslmode=disable&sslmode=require", "given twice"),
        ("postgres://u@h/d?user=x", "unknown query parameter user"),
        ("postgres://u@h/d?connect_timeout=0", "connect_timeout"),
        ("postgres://u@h/a/b", "holds a '/'"),
        ("postgres://u@%2Ftmp/d", "Unix socket"),
        ("postgres://u@[::1/d", "closing ]"),
        ("postgres://u@h w/d", "not a host name"),
        ("postgres://u@h/d#x", "fragment"),
        ("postgres://u:p%00w@h/d", "NUL"),
    ])
    func refusesMalformedURLsSayingWhy(url: String, expected: String) {
        do {
            let configuration = try PostgresConfiguration(url: url)
            Issue.record("\(url) was accepted as \(configuration)")
        } catch {
            #expect(error.description.contains(expected), "\(url): \(error.description)")
            #expect(error.description.contains("expected postgres://"))
        }
    }
}
