import Foundation
import Testing
import Transport
@testable import PostgresClient

/// Start-up against the real server: SCRAM-SHA-256 and TLS with certificate and host checks.
@Suite(.enabled(if: LivePostgres.isAvailable, LivePostgres.skipNote))
struct LiveAuthenticationTests {
    @Test func scramWithTheRightPasswordConnects() async throws {
        let connection = try await LivePostgres.connect()
        let result = try await connection.query("SELECT current_user, 1 + 1")
        #expect(try result.rows[0].decode(String.self, at: 0) == "clanbot")
        #expect(try result.rows[0].decode(Int64.self, at: 1) == 2)
        #expect(connection.backendProcessID != nil)
        await connection.close()
        #expect(connection.isClosed)
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
    }

    @Test func aWrongPasswordIsRefusedWith28P01() async throws {
        do {
            _ = try await LivePostgres.connect { $0.password = "wrong" }
            Issue.record("connected with a wrong password")
        } catch let error as PostgresError {
            #expect(error.sqlState == "28P01", "\(error)")
        }
        do {
            _ = try await LivePostgres.connect { $0.password = nil }
            Issue.record("connected without a password")
        } catch let error as PostgresError {
            #expect(error.description.contains("has none"), "\(error)")
        }
    }

    @Test func anUnknownDatabaseIsNamed() async throws {
        do {
            _ = try await LivePostgres.connect { $0.database = "no_such_database" }
            Issue.record("connected to a database that does not exist")
        } catch let error as PostgresError {
            #expect(error.sqlState == "3D000", "\(error)")
        }
    }

    @Test func sslmodeRequireEncryptsWithoutCheckingTheCertificate() async throws {
        let connection = try await LivePostgres.connect { $0.sslMode = .require }
        let result = try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(try result.rows[0].decode(Bool.self, at: 0))
        await connection.close()
    }

    @Test func verifyFullWithTheClusterCAConnectsOverTLS() async throws {
        let connection = try await LivePostgres.connect {
            $0.sslMode = .verifyFull
            $0.sslRootCertificate = LivePostgres.caFile
        }
        let result = try await connection.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(try result.rows[0].decode(Bool.self, at: 0))
        #expect(try result.rows[0].decode(String.self, at: 1).hasPrefix("TLSv1."))
        await connection.close()
    }

    @Test func verifyFullRefusesAnUntrustedCertificateAndAWrongHost() async throws {
        do {
            _ = try await LivePostgres.connect { $0.sslMode = .verifyFull }  // system store only: our CA is unknown
            Issue.record("trusted a certificate from an unknown CA")
        } catch PostgresError.transport(.certificateNotTrusted) {
        }
        do {
            _ = try await LivePostgres.connect {
                $0.sslMode = .verifyFull
                $0.sslRootCertificate = LivePostgres.caFile
                $0.host = "localhost"  // the certificate names 127.0.0.1 only
            }
            Issue.record("accepted a certificate for another host")
        } catch PostgresError.transport(.certificateHostMismatch) {
        }
    }

    @Test func aClosedPortIsATransportError() async throws {
        do {
            _ = try await LivePostgres.connect { $0.port = 1 }
            Issue.record("connected to port 1")
        } catch PostgresError.transport(.connectFailed) {
        }
    }
}
