import Cryptography
import Foundation
import Testing
@testable import PostgresClient

/// The protocol state machine driven message by message, without sockets.
@Suite struct ConnectionMachineTests {
    static let nonce = "fixedclientnonce"

    static func machine(sslMode: PostgresSSLMode = .disable, password: String? = "secret") -> PostgresConnectionMachine {
        PostgresConnectionMachine(
            configuration: PostgresConfiguration(host: "db", user: "bot", password: password, database: "clan", sslMode: sslMode),
            scramNonce: nonce)
    }

    static func feed(_ machine: inout PostgresConnectionMachine, _ bytes: [UInt8]) throws -> [PostgresConnectionMachine.Action] {
        try BackendBytes.decodeAll(bytes).flatMap { machine.receive($0) }
    }

    /// A machine that has finished start-up with trust authentication.
    static func readyMachine() throws -> PostgresConnectionMachine {
        var machine = machine()
        _ = machine.start()
        let actions = try feed(&machine, BackendBytes.authentication(0) + BackendBytes.backendKey(7) + BackendBytes.ready())
        #expect(actions == [.connected])
        return machine
    }

    /// What a server holding `password` would answer: its first message and its signature (RFC 5802, computed here).
    static func serverSide(password: String, clientFinal: [UInt8], serverFirst: String) throws -> String {
        let salt = Data(base64Encoded: "c2FsdHNhbHQ=")!
        let salted = try KeyDerivation.pbkdf2SHA256(password: Array(password.utf8), salt: Array(salt), iterations: 4096)
        let withoutProof = String(decoding: clientFinal, as: UTF8.self).components(separatedBy: ",p=")[0]
        let authMessage = "n=,r=\(nonce),\(serverFirst),\(withoutProof)"
        let serverKey = Digest.hmacSHA256(key: salted, message: Array("Server Key".utf8))
        return "v=" + Data(Digest.hmacSHA256(key: serverKey, message: Array(authMessage.utf8))).base64EncodedString()
    }

    static func closingSQLState(_ actions: [PostgresConnectionMachine.Action]) -> String? {
        guard case .close(let error)? = actions.first else { return nil }
        return error.sqlState
    }

    @Test func sslRequestComesFirstAndARefusalClosesWithAClearError() {
        var machine = Self.machine(sslMode: .verifyFull)
        #expect(machine.start() == [.write(FrontendMessage.sslRequest())])
        #expect(machine.sslAnswer(UInt8(ascii: "N")) == [.close(.serverRefusedTLS(host: "db"))])
        #expect(machine.isClosed)
    }

    @Test func tlsAcceptedThenStartupIsSent() {
        var machine = Self.machine(sslMode: .require)
        _ = machine.start()
        #expect(machine.sslAnswer(UInt8(ascii: "S")) == [.startTLS])
        #expect(machine.tlsEstablished() == [.write(FrontendMessage.startup(parameters: machine.startupParameters))])
        var other = Self.machine(sslMode: .require)
        _ = other.start()
        guard case .close(.protocolViolation)? = other.sslAnswer(UInt8(ascii: "E")).first else {
            Issue.record("an answer that is neither S nor N must close the connection")
            return
        }
    }

    @Test func scramSHA256ConversationAuthenticatesAndChecksTheServer() throws {
        var machine = Self.machine()
        guard case .write(let startup)? = machine.start().first else { Issue.record("no startup"); return }
        #expect(String(decoding: startup, as: UTF8.self).contains("DateStyle\0ISO\0TimeZone\0UTC"))
        let offer = try Self.feed(&machine, BackendBytes.authentication(10, BackendBytes.cString("SCRAM-SHA-256") + [0]))
        #expect(offer == [.write(FrontendMessage.saslInitialResponse(mechanism: "SCRAM-SHA-256", data: Array("n,,n=,r=\(Self.nonce)".utf8)))])
        let serverFirst = "r=\(Self.nonce)SERVER,s=c2FsdHNhbHQ=,i=4096"
        let answer = try Self.feed(&machine, BackendBytes.authentication(11, Array(serverFirst.utf8)))
        guard case .write(let response)? = answer.first else { Issue.record("no SCRAM response: \(answer)"); return }
        let clientFinal = Array(response.dropFirst(5))
        #expect(String(decoding: clientFinal, as: UTF8.self).hasPrefix("c=biws,r=\(Self.nonce)SERVER,p="))
        let signature = try Self.serverSide(password: "secret", clientFinal: clientFinal, serverFirst: serverFirst)
        #expect(try Self.feed(&machine, BackendBytes.authentication(12, Array(signature.utf8))) == [])
        let done = try Self.feed(&machine, BackendBytes.authentication(0) + BackendBytes.parameterStatus("server_version", "15.13")
            + BackendBytes.backendKey(99) + BackendBytes.ready())
        #expect(done == [.connected])
        #expect(machine.serverParameters["server_version"] == "15.13")
        #expect(machine.backendProcessID == 99)
    }

    @Test func aServerThatDoesNotKnowThePasswordIsRefused() throws {
        var machine = Self.machine()
        _ = machine.start()
        _ = try Self.feed(&machine, BackendBytes.authentication(10, BackendBytes.cString("SCRAM-SHA-256") + [0]))
        let serverFirst = "r=\(Self.nonce)SERVER,s=c2FsdHNhbHQ=,i=4096"
        guard case .write(let response)? = try Self.feed(&machine, BackendBytes.authentication(11, Array(serverFirst.utf8))).first else {
            Issue.record("no SCRAM response"); return
        }
        let forged = try Self.serverSide(password: "not the password", clientFinal: Array(response.dropFirst(5)), serverFirst: serverFirst)
        let actions = try Self.feed(&machine, BackendBytes.authentication(12, Array(forged.utf8)))
        guard case .close(.authentication(let reason))? = actions.first else { Issue.record("accepted a forged signature: \(actions)"); return }
        #expect(reason.contains("signature"))
    }

    @Test func aWrongPasswordIsTheServersError28P01() throws {
        var machine = Self.machine()
        _ = machine.start()
        let actions = try Self.feed(&machine, BackendBytes.error("28P01", "password authentication failed for user \"bot\"", severity: "FATAL"))
        #expect(Self.closingSQLState(actions) == "28P01")
        #expect(machine.isClosed)
    }

    @Test func unsupportedMethodsAndMissingPasswordsAreNamed() throws {
        for (code, extra, expected) in [(5, [UInt8](repeating: 1, count: 4), "MD5"), (3, [], "clear text"), (7, [], "method 7")] {
            var machine = Self.machine()
            _ = machine.start()
            let actions = try Self.feed(&machine, BackendBytes.authentication(code, extra))
            guard case .close(.authentication(let reason))? = actions.first else { Issue.record("\(code): \(actions)"); return }
            #expect(reason.contains(expected))
        }
        var passwordless = Self.machine(password: nil)
        _ = passwordless.start()
        let actions = try Self.feed(&passwordless, BackendBytes.authentication(10, BackendBytes.cString("SCRAM-SHA-256") + [0]))
        #expect(actions == [.close(.authentication("the server wants a password for bot and the URL has none"))])
    }

    @Test func aStatementCollectsRowsUntilReadyForQuery() throws {
        var machine = try Self.readyMachine()
        #expect(machine.send(PostgresQuery("SELECT n FROM t", [])) == [.write(FrontendMessage.extendedQuery(PostgresQuery("SELECT n FROM t")))])
        #expect(machine.isRunning)
        let actions = try Self.feed(&machine, BackendBytes.message("1", []) + BackendBytes.message("2", [])
            + BackendBytes.rowDescription([("n", PostgresType.int8)]) + BackendBytes.dataRow(["5"]) + BackendBytes.dataRow(["6"])
            + BackendBytes.commandComplete("SELECT 2") + BackendBytes.ready("T"))
        guard case .finished(let result)? = actions.first, actions.count == 1 else { Issue.record("\(actions)"); return }
        #expect(result.affectedRows == 2)
        #expect(try result.rows.map { try $0.decode(Int64.self, at: 0) } == [5, 6])
        #expect(machine.transactionStatus == .inTransaction)
        #expect(machine.isReady)
    }

    @Test func anErrorFailsTheStatementButKeepsTheConnection() throws {
        var machine = try Self.readyMachine()
        _ = machine.send(PostgresQuery("INSERT INTO t VALUES (1)"))
        let actions = try Self.feed(&machine, BackendBytes.message("1", []) + BackendBytes.error("23505", "duplicate key value") + BackendBytes.ready("E"))
        guard case .failed(.server(let error))? = actions.first else { Issue.record("\(actions)"); return }
        #expect(error.sqlState == "23505")
        #expect(error.statement == "INSERT INTO t VALUES (1)")
        #expect(machine.isReady)
        #expect(machine.transactionStatus == .failed)
    }

    @Test func aFatalErrorOrEndOfStreamClosesTheConnection() throws {
        var machine = try Self.readyMachine()
        _ = machine.send(PostgresQuery("SELECT pg_sleep(10)"))
        let actions = try Self.feed(&machine, BackendBytes.error("57P01", "terminating connection due to administrator command", severity: "FATAL"))
        #expect(Self.closingSQLState(actions) == "57P01")
        #expect(machine.endOfStream() == [])

        var idle = try Self.readyMachine()
        #expect(idle.endOfStream() == [.close(.connectionClosed("the server closed the connection"))])
        var running = try Self.readyMachine()
        _ = running.send(PostgresQuery("SELECT 1"))
        #expect(running.endOfStream() == [.close(.connectionClosed("the server closed the connection while running a statement"))])
    }

    @Test func notificationsArriveWhetherIdleOrBusy() throws {
        var machine = try Self.readyMachine()
        let note = PostgresNotification(processID: 3, channel: "events", payload: "42")
        #expect(try Self.feed(&machine, BackendBytes.notification(pid: 3, channel: "events", payload: "42")) == [.notify(note)])
        _ = machine.send(PostgresQuery("SELECT 1"))
        let actions = try Self.feed(&machine, BackendBytes.notification(pid: 3, channel: "events", payload: "42"))
        #expect(actions == [.notify(note)])
        #expect(machine.isRunning)
    }

    @Test func unexpectedMessagesAreProtocolViolations() throws {
        var machine = try Self.readyMachine()
        guard case .close(.protocolViolation)? = try Self.feed(&machine, BackendBytes.dataRow(["1"])).first else {
            Issue.record("a DataRow while idle must close the connection"); return
        }
        var mismatched = try Self.readyMachine()
        _ = mismatched.send(PostgresQuery("SELECT 1"))
        let actions = try Self.feed(&mismatched, BackendBytes.rowDescription([("a", 20)]) + BackendBytes.dataRow(["1", "2"]))
        guard case .close(.protocolViolation)? = actions.first else { Issue.record("\(actions)"); return }
        var copying = try Self.readyMachine()
        _ = copying.send(PostgresQuery("COPY t FROM STDIN"))
        guard case .close(.protocolViolation)? = try Self.feed(&copying, BackendBytes.message("G", [0, 0, 0])).first else {
            Issue.record("COPY is not supported and must close the connection"); return
        }
    }

    @Test func statementsThatCannotBeSentFailWithoutTouchingTheServer() throws {
        var machine = try Self.readyMachine()
        #expect(machine.send(PostgresQuery("SELECT '\0'")) == [.failed(.invalidQuery("the SQL text holds a NUL byte"))])
        #expect(machine.isReady)
        let many = [PostgresData](repeating: 1, count: 70_000)
        guard case .failed(.invalidQuery)? = machine.send(PostgresQuery("SELECT 1", many)).first else { Issue.record("accepted 70,000 parameters"); return }
    }
}
