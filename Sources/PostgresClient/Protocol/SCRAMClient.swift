import Cryptography
import Foundation

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, as PostgreSQL uses it.
/// Sans-I/O: messages in, messages out; the nonce comes from the caller so tests can use the RFC's vectors.
struct SCRAMClient: Sendable {
    static let mechanism = "SCRAM-SHA-256"
    /// A server asking for more rounds than this is refused rather than obeyed (PostgreSQL uses 4096).
    static let maximumIterations = 1_000_000

    private let password: [UInt8]
    private let clientNonce: String
    private let clientFirstBare: String
    private var expectedServerSignature: [UInt8]?

    /// `user` goes into the message (PostgreSQL ignores it and uses the startup user; RFC vectors need it).
    init(user: String = "", password: String, clientNonce: String) {
        self.password = Array(password.utf8)
        self.clientNonce = clientNonce
        clientFirstBare = "n=\(Self.escapeName(user)),r=\(clientNonce)"
    }

    /// A fresh client with 18 random bytes of nonce.
    static func random(password: String) throws(PostgresError) -> SCRAMClient {
        do {
            return SCRAMClient(password: password, clientNonce: Data(try SecureRandom.bytes(18)).base64EncodedString())
        } catch {
            throw .authentication("no random bytes for the SCRAM nonce: \(error.description)")
        }
    }

    /// client-first-message: "n,," (no channel binding) then the bare part.
    var clientFirstMessage: [UInt8] { Array(("n,," + clientFirstBare).utf8) }

    /// Answers server-first-message with client-final-message (carrying the proof).
    mutating func clientFinalMessage(serverFirst: [UInt8]) throws(PostgresError) -> [UInt8] {
        let serverFirstText = String(decoding: serverFirst, as: UTF8.self)
        let attributes = Self.attributes(serverFirstText)
        guard let nonce = attributes["r"], let saltText = attributes["s"], let iterationText = attributes["i"] else {
            throw .authentication("the server's SCRAM challenge lacks its nonce, salt or iteration count")
        }
        guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw .authentication("the server's SCRAM nonce does not extend ours; the server may not be who it claims")
        }
        guard let salt = Data(base64Encoded: saltText), !salt.isEmpty else {
            throw .authentication("the server's SCRAM salt is not base64")
        }
        guard let iterations = Int(iterationText), iterations > 0, iterations <= Self.maximumIterations else {
            throw .authentication("the server asks for \(iterationText) SCRAM iterations; this client accepts 1 to \(Self.maximumIterations)")
        }
        let saltedPassword: [UInt8]
        do {
            saltedPassword = try KeyDerivation.pbkdf2SHA256(password: password, salt: Array(salt), iterations: iterations)
        } catch {
            throw .authentication(error.description)
        }
        let clientKey = Digest.hmacSHA256(key: saltedPassword, message: Array("Client Key".utf8))
        let storedKey = Digest.sha256(clientKey)
        let withoutProof = "c=biws,r=\(nonce)"  // biws = base64("n,,")
        let authMessage = Array("\(clientFirstBare),\(serverFirstText),\(withoutProof)".utf8)
        let clientSignature = Digest.hmacSHA256(key: storedKey, message: authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = Digest.hmacSHA256(key: saltedPassword, message: Array("Server Key".utf8))
        expectedServerSignature = Digest.hmacSHA256(key: serverKey, message: authMessage)
        return Array("\(withoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    /// Checks server-final-message: the server proves it knew the password too.
    func verify(serverFinal: [UInt8]) throws(PostgresError) {
        let attributes = Self.attributes(String(decoding: serverFinal, as: UTF8.self))
        if let error = attributes["e"] { throw .authentication("the server ended SCRAM with error \(error)") }
        guard let expected = expectedServerSignature else {
            throw .protocolViolation("SCRAM final message before the challenge")
        }
        guard let signature = attributes["v"].flatMap({ Data(base64Encoded: $0) }), Array(signature) == expected else {
            throw .authentication("the server's SCRAM signature is wrong; it does not know the password, so it is not the server you meant")
        }
    }

    /// "a=1,b=2" into [a: 1, b: 2]; values may hold '=' (base64).
    private static func attributes(_ text: String) -> [Character: String] {
        var result: [Character: String] = [:]
        for part in text.split(separator: ",") {
            guard part.count >= 2, let key = part.first, part[part.index(after: part.startIndex)] == "=" else { continue }
            result[key] = String(part.dropFirst(2))
        }
        return result
    }

    private static func escapeName(_ name: String) -> String {
        name.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }
}
