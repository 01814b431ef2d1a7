import COpenSSL

/// Password-based key derivation over OpenSSL. Pure: same input, same output.
public enum KeyDerivation {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// PBKDF2 with HMAC-SHA256 (RFC 8018), as SCRAM-SHA-256 salts a password (RFC 7677).
    public static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32) throws(Failure) -> [UInt8] {
        guard iterations > 0, iterations <= Int(Int32.max), length > 0 else {
            throw Failure(description: "PBKDF2 needs at least one iteration and one output byte (got \(iterations) iterations, \(length) bytes)")
        }
        var output = [UInt8](repeating: 0, count: length)
        let passwordCharacters = password.map { CChar(bitPattern: $0) }
        let status = PKCS5_PBKDF2_HMAC(
            passwordCharacters, Int32(passwordCharacters.count), salt, Int32(salt.count),
            Int32(iterations), EVP_sha256(), Int32(length), &output)
        guard status == 1 else {
            throw Failure(description: "OpenSSL PKCS5_PBKDF2_HMAC failed (returned \(status))")
        }
        return output
    }
}
