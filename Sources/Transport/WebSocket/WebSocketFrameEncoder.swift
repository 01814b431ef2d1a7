/// Frames out as bytes (RFC 6455 section 5.2), with the minimal length encoding.
public enum WebSocketFrameEncoder {
    /// Encodes one frame. `maskingKey` (4 bytes) masks the payload; clients must always pass one.
    /// `opcode` is raw so that test servers can also produce reserved opcodes.
    public static func encode(
        fin: Bool = true, reservedBits: UInt8 = 0, opcode: UInt8, payload: [UInt8], maskingKey: [UInt8]?
    ) -> [UInt8] {
        let length = payload.count
        var frame: [UInt8] = []
        frame.reserveCapacity(length + 14)
        frame.append((fin ? 0x80 : 0) | (reservedBits & 0x7) << 4 | opcode & 0x0F)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        if length <= 125 {
            frame.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            frame.append(maskBit | 126)
            frame.append(UInt8(length >> 8))
            frame.append(UInt8(length & 0xFF))
        } else {
            frame.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((UInt64(length) >> UInt64(shift)) & 0xFF)) }
        }
        if let maskingKey {
            precondition(maskingKey.count == 4, "a WebSocket masking key is 4 bytes")
            frame.append(contentsOf: maskingKey)
            let payloadStart = frame.count
            frame.append(contentsOf: payload)
            WebSocketMasking.apply(key: maskingKey, to: &frame, from: payloadStart)
        } else {
            frame.append(contentsOf: payload)
        }
        return frame
    }

    public static func encode(_ frame: WebSocketFrame) -> [UInt8] {
        encode(fin: frame.fin, reservedBits: frame.reservedBits, opcode: frame.opcode.rawValue, payload: frame.payload, maskingKey: frame.maskingKey)
    }
}

/// XOR masking (RFC 6455 section 5.3); applying it twice restores the input.
enum WebSocketMasking {
    static func apply(key: [UInt8], to bytes: inout [UInt8], from offset: Int = 0) {
        let count = bytes.count - offset
        guard count > 0 else { return }
        let k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3]
        let word = UInt64(k0) | UInt64(k1) << 8 | UInt64(k2) << 16 | UInt64(k3) << 24
        let wideKey = word | word << 32  // little-endian view of the key repeated over 8 bytes
        bytes.withUnsafeMutableBytes { raw in
            guard let start = raw.baseAddress else { return }
            let base = start + offset
            var index = 0
            // Eight bytes at a time: the key repeats every 4, so an 8-byte step keeps the phase.
            while index + 8 <= count {
                let value = (base + index).loadUnaligned(as: UInt64.self)
                (base + index).storeBytes(of: value ^ UInt64(littleEndian: wideKey), as: UInt64.self)
                index += 8
            }
            let keyBytes = (k0, k1, k2, k3)
            while index < count {
                let keyByte: UInt8
                switch index & 3 {
                case 0: keyByte = keyBytes.0
                case 1: keyByte = keyBytes.1
                case 2: keyByte = keyBytes.2
                default: keyByte = keyBytes.3
                }
                base.storeBytes(of: base.load(fromByteOffset: index, as: UInt8.self) ^ keyByte, toByteOffset: index, as: UInt8.self)
                index += 1
            }
        }
    }
}
