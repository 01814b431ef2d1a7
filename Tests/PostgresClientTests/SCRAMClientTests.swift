import Cryptography
import Foundation
import Testing
@testable import PostgresClient

@Suite struct SCRAMClientTests {
    // RFC 7677 section 3: the SCRAM-SHA-256 exchange for user "user", password "pencil".
    static let clientNonce = "rOprNGfwEbeRWgbNEkqO"
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

    @Test func rfc7677ExchangeProducesTheSameProofAndAcceptsTheServerSignature() throws {
        var client = SCRAMClient(user: "user", password: "pencil", clientNonce: Self.clientNonce)
        #expect(String(decoding: client.clientFirstMessage, as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
        #expect(String(decoding: final, as: UTF8.self)
            == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
    }

    @Test func aServerWithTheWrongSignatureIsRefused() throws {
        var client = SCRAMClient(user: "user", password: "pencil", clientNonce: Self.clientNonce)
        _ = try client.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
        #expect(throws: PostgresError.self) {
            try client.verify(serverFinal: Array("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
        #expect(throws: PostgresError.authentication("the server ended SCRAM with error invalid-proof")) {
            try client.verify(serverFinal: Array("e=invalid-proof".utf8))
        }
    }

    @Test(arguments: [
        "r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",   // nonce not extending ours
        "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",  // nonce not extended at all
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=***,i=4096",            // salt not base64
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=999999999",  // a CPU bomb
        "r=rOprNGfwEbeRWgbNEkqOxyz,i=4096",                   // no salt
        "",
    ])
    func malformedChallengesAreRefused(serverFirst: String) {
        var client = SCRAMClient(user: "user", password: "pencil", clientNonce: Self.clientNonce)
        #expect(throws: PostgresError.self) { try client.clientFinalMessage(serverFirst: Array(serverFirst.utf8)) }
    }

    @Test func pbkdf2MatchesRFC7914() throws {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
        let key = try KeyDerivation.pbkdf2SHA256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(key.hexString == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(throws: KeyDerivation.Failure.self) { try KeyDerivation.pbkdf2SHA256(password: [], salt: [], iterations: 0) }
    }

    @Test func randomNoncesDiffer() throws {
        let a = try SCRAMClient.random(password: "x").clientFirstMessage
        let b = try SCRAMClient.random(password: "x").clientFirstMessage
        #expect(a != b)
    }
}
