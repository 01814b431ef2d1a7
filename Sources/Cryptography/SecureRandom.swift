import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `count` bytes from RAND_bytes. Throws when OpenSSL's generator is not seeded.
    public static func bytes(_ count: Int) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let status = buffer.withUnsafeMutableBytes { RAND_bytes($0.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)) }
        guard status == 1 else {
            throw Failure(description: "OpenSSL could not produce secure random bytes (RAND_bytes returned \(status)); the system entropy source may be unavailable")
        }
        return buffer
    }
}
