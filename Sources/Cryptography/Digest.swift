import COpenSSL
import Foundation

/// Hash functions over OpenSSL's EVP interface. Pure functions: same input, same output.
public enum Digest {
    /// SHA-256 of `data` (32 bytes).
    public static func sha256<D: DataProtocol>(_ data: D) -> [UInt8] {
        digest(data, EVP_sha256(), length: 32)
    }

    /// SHA-1 of `data` (20 bytes). Only for protocols that require it (the WebSocket handshake).
    public static func sha1<D: DataProtocol>(_ data: D) -> [UInt8] {
        digest(data, EVP_sha1(), length: 20)
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256<K: DataProtocol, M: DataProtocol>(key: K, message: M) -> [UInt8] {
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            messageBytes.withUnsafeBytes { messageBuffer in
                HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBuffer.count,
                    &output, &length
                )
            }
        }
        // HMAC only fails on allocation failure inside OpenSSL; there is nothing a caller could do then.
        precondition(result != nil && length == 32, "OpenSSL HMAC-SHA256 failed")
        return Array(output.prefix(32))
    }

    private static func digest<D: DataProtocol>(_ data: D, _ type: OpaquePointer?, length: Int) -> [UInt8] {
        let bytes = Array(data)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var written: UInt32 = 0
        let status = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &output, &written, type, nil)
        }
        // EVP_Digest only fails on allocation failure inside OpenSSL.
        precondition(status == 1 && Int(written) == length, "OpenSSL EVP_Digest failed")
        return Array(output.prefix(length))
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal, as sha256sum and openssl print it.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lower- or upper-case hexadecimal; nil when the text is not an even number of hex digits.
    public init?(hexString: String) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}
