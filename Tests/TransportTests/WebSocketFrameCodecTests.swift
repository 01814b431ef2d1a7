import Testing
import TestSupport
@testable import Transport

@Suite struct WebSocketFrameCodecTests {
    private func decodeAll(_ bytes: [UInt8], role: WebSocketFrameDecoder.Role = .client, limit: Int = 1 << 20) throws -> [WebSocketFrame] {
        var decoder = WebSocketFrameDecoder(role: role, maximumFrameSize: limit)
        decoder.append(bytes)
        var frames: [WebSocketFrame] = []
        while let frame = try decoder.nextFrame() { frames.append(frame) }
        return frames
    }

    @Test(arguments: [0, 1, 125, 126, 127, 65535, 65536, 70000])
    func roundTripsEveryLengthEncoding(length: Int) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        let payload = generator.bytes(length)
        let key: [UInt8] = [1, 2, 3, 4]
        let masked = WebSocketFrameEncoder.encode(opcode: 2, payload: payload, maskingKey: key)
        let unmasked = WebSocketFrameEncoder.encode(opcode: 2, payload: payload, maskingKey: nil)
        #expect(try decodeAll(masked, role: .server) == [WebSocketFrame(opcode: .binary, payload: payload, maskingKey: key)])
        #expect(try decodeAll(unmasked) == [WebSocketFrame(opcode: .binary, payload: payload)])
        // The header uses the minimal length encoding: 2, 4 or 10 bytes before the payload.
        let header = length <= 125 ? 2 : (length <= 65535 ? 4 : 10)
        #expect(unmasked.count == header + length)
        #expect(masked.count == header + 4 + length)
    }

    @Test func maskingChangesThePayloadOnTheWire() {
        let payload = Array("Hello".utf8)
        // RFC 6455 section 5.7: a masked "Hello".
        let frame = WebSocketFrameEncoder.encode(opcode: 1, payload: payload, maskingKey: [0x37, 0xfa, 0x21, 0x3d])
        #expect(frame == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    }

    @Test func randomFramesRoundTripWhenFedInRandomPieces() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            var frames: [WebSocketFrame] = []
            var wire: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let opcode: WebSocketOpcode = [.text, .binary, .continuation, .ping, .pong, .close].randomElement(using: &generator) ?? .binary
                let length = opcode.isControl ? Int.random(in: 0...125, using: &generator) : Int.random(in: 0...3000, using: &generator)
                let fin = opcode.isControl ? true : Bool.random(using: &generator)
                let key = generator.bytes(4)
                let frame = WebSocketFrame(fin: fin, opcode: opcode, payload: generator.bytes(length), maskingKey: key)
                frames.append(frame)
                wire += WebSocketFrameEncoder.encode(frame)
            }
            var decoder = WebSocketFrameDecoder(role: .server, maximumFrameSize: 1 << 20)
            var decoded: [WebSocketFrame] = []
            var offset = 0
            while offset < wire.count {
                let piece = min(wire.count - offset, Int.random(in: 1...700, using: &generator))
                decoder.append(Array(wire[offset..<(offset + piece)]))
                offset += piece
                while let frame = try decoder.nextFrame() { decoded.append(frame) }
            }
            #expect(decoded == frames)
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func arbitraryBytesNeverCrashTheDecoderOrAssembler() {
        var generator = SeededGenerator(seed: 2026)
        var outcomes = (frames: 0, errors: 0)
        for round in 0..<3000 {
            let role: WebSocketFrameDecoder.Role = round % 2 == 0 ? .client : .server
            var decoder = WebSocketFrameDecoder(role: role, maximumFrameSize: 4096)
            var assembler = WebSocketMessageAssembler(maximumMessageSize: 8192)
            var bytes = generator.bytes(Int.random(in: 0...300, using: &generator))
            // Bias some inputs towards valid-looking headers so deeper paths are reached too.
            if round % 3 == 0, !bytes.isEmpty { bytes[0] = [0x81, 0x01, 0x82, 0x89, 0x88, 0x80, 0x00].randomElement(using: &generator) ?? 0x81 }
            if round % 3 == 0, bytes.count > 1 { bytes[1] = UInt8.random(in: 0...127, using: &generator) | (role == .server ? 0x80 : 0) }
            decoder.append(bytes)
            do {
                while let frame = try decoder.nextFrame() {
                    outcomes.frames += 1
                    _ = try assembler.push(frame)
                }
            } catch {
                outcomes.errors += 1
            }
        }
        // Both paths were exercised; reaching here means no input crashed.
        #expect(outcomes.frames > 100)
        #expect(outcomes.errors > 100)
    }

    @Test(arguments: [
        ([0x91, 0x00], WebSocketProtocolError.reservedBitsSet(1)),
        ([0xC1, 0x00], .reservedBitsSet(4)),
        ([0x83, 0x00], .reservedOpcode(3)),
        ([0x8B, 0x00], .reservedOpcode(0xB)),
        ([0x09, 0x00], .fragmentedControlFrame(.ping)),
        ([0x89, 0x7E, 0x00, 0x7E], .controlFrameTooLong(126)),
        ([0x81, 0x81, 1, 2, 3, 4, 0x61], .maskedFrameFromServer),
        ([0x82, 0x7E, 0x00, 0x05], .nonMinimalLengthEncoding),
        ([0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], .nonMinimalLengthEncoding),
        ([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0], .lengthTooLarge),
        ([0x82, 0x7F, 0, 0, 0, 0, 0x10, 0, 0, 0], .messageTooBig(limit: 1 << 20)),
    ] as [([UInt8], WebSocketProtocolError)])
    func rejectsEachHeaderViolation(bytes: [UInt8], expected: WebSocketProtocolError) {
        #expect(throws: expected) { try decodeAll(bytes) }
    }

    @Test func serverRoleRejectsUnmaskedFrames() {
        #expect(throws: WebSocketProtocolError.unmaskedFrameFromClient) { try decodeAll([0x81, 0x00], role: .server) }
    }

    @Test func violationsMapToTheRightCloseCodes() {
        #expect(WebSocketProtocolError.invalidUTF8.closeCode == 1007)
        #expect(WebSocketProtocolError.messageTooBig(limit: 1).closeCode == 1009)
        #expect(WebSocketProtocolError.reservedOpcode(3).closeCode == 1002)
    }
}
