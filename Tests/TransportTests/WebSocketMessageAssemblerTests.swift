import Testing
@testable import Transport

@Suite struct WebSocketMessageAssemblerTests {
    private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, payload: Array(text.utf8))
    }

    @Test func reassemblesFragmentsWithControlFramesBetween() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        #expect(try assembler.push(frame(.text, "Hel", fin: false)) == nil)
        #expect(try assembler.push(frame(.ping, "p")) == .ping(Array("p".utf8)))
        #expect(try assembler.push(frame(.continuation, "lo ", fin: false)) == nil)
        #expect(try assembler.push(frame(.pong, "")) == .pong([]))
        #expect(try assembler.push(frame(.continuation, "κόσμε")) == .message(.text("Hello κόσμε")))
        #expect(!assembler.isInsideFragmentedMessage)
    }

    @Test func splitsAMultiByteCharacterAcrossFragments() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        let euro = Array("€".utf8)  // 3 bytes
        #expect(try assembler.push(WebSocketFrame(fin: false, opcode: .text, payload: [euro[0]])) == nil)
        #expect(try assembler.push(WebSocketFrame(fin: true, opcode: .continuation, payload: Array(euro[1...]))) == .message(.text("€")))
    }

    @Test func failsFastOnInvalidUTF8InAFragment() {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        #expect(throws: WebSocketProtocolError.invalidUTF8) {
            try assembler.push(WebSocketFrame(fin: false, opcode: .text, payload: [0x61, 0xED, 0xA0, 0x80]))
        }
    }

    @Test func failsFastInsideATextFrameThatIsStillArriving() throws {
        // A 200-byte text frame whose 7th byte is invalid: detected after 10 bytes, long before the end.
        let payload = Array("hello ".utf8) + [0xC0] + [UInt8](repeating: 0x61, count: 193)
        let wire = WebSocketFrameEncoder.encode(opcode: 1, payload: payload, maskingKey: nil)
        var decoder = WebSocketFrameDecoder(role: .client, maximumFrameSize: 1024)
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        decoder.append(Array(wire[0..<6]))
        #expect(try decoder.nextFrame() == nil)
        let first = try #require(try decoder.partialFrame())
        try assembler.inspectPartial(opcode: first.opcode, payload: first.payload)  // "hell" is fine
        decoder.append(Array(wire[6..<12]))
        let second = try #require(try decoder.partialFrame())
        #expect(throws: WebSocketProtocolError.invalidUTF8) { try assembler.inspectPartial(opcode: second.opcode, payload: second.payload) }
    }

    @Test func partialInspectionAcceptsValidTextAndIgnoresBinary() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        let text = Array("κόσμε".utf8)
        try assembler.inspectPartial(opcode: .text, payload: text[0..<3])  // ends mid-character: fine so far
        try assembler.inspectPartial(opcode: .text, payload: text[0...])
        #expect(try assembler.push(WebSocketFrame(opcode: .text, payload: text)) == .message(.text("κόσμε")))
        try assembler.inspectPartial(opcode: .binary, payload: [0xFF, 0xFE][...])
    }

    @Test func rejectsATextMessageEndingMidCharacter() {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        #expect(throws: WebSocketProtocolError.invalidUTF8) { try assembler.push(WebSocketFrame(opcode: .text, payload: [0xE2, 0x82])) }
    }

    @Test func rejectsBadFragmentSequences() {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        #expect(throws: WebSocketProtocolError.unexpectedContinuation) { try assembler.push(frame(.continuation, "x")) }
        var open = WebSocketMessageAssembler(maximumMessageSize: 1024)
        _ = try? open.push(frame(.binary, "a", fin: false))
        #expect(throws: WebSocketProtocolError.expectedContinuation(.text)) { try open.push(frame(.text, "b")) }
    }

    @Test func enforcesTheMaximumSizeAcrossFragments() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        #expect(try assembler.push(WebSocketFrame(fin: false, opcode: .binary, payload: [UInt8](repeating: 1, count: 6))) == nil)
        #expect(throws: WebSocketProtocolError.messageTooBig(limit: 10)) {
            try assembler.push(WebSocketFrame(fin: true, opcode: .continuation, payload: [UInt8](repeating: 1, count: 5)))
        }
    }

    @Test func parsesAndValidatesCloseFrames() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 1024)
        #expect(try assembler.push(WebSocketFrame(opcode: .close, payload: [])) == .close(WebSocketCloseFrame(code: nil)))
        #expect(try assembler.push(WebSocketFrame(opcode: .close, payload: [0x0F, 0xA4] + Array("Authentication failed.".utf8)))
            == .close(WebSocketCloseFrame(code: 4004, reason: "Authentication failed.")))
        #expect(throws: WebSocketProtocolError.invalidClosePayloadLength) { try assembler.push(WebSocketFrame(opcode: .close, payload: [0x03])) }
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000] {
            #expect(throws: WebSocketProtocolError.invalidCloseCode(code)) {
                try assembler.push(WebSocketFrame(opcode: .close, payload: [UInt8(code >> 8), UInt8(code & 0xff)]))
            }
        }
        #expect(throws: WebSocketProtocolError.invalidUTF8) { try assembler.push(WebSocketFrame(opcode: .close, payload: [0x03, 0xE8, 0xFF])) }
    }

    @Test func closePayloadNeverCarriesForbiddenCodesAndFits125Bytes() {
        #expect(WebSocketCloseFrame(code: 1006).payload.prefix(2) == [0x03, 0xE8])
        #expect(WebSocketCloseFrame(code: 1005).payload.prefix(2) == [0x03, 0xE8])
        let long = WebSocketCloseFrame(code: 4000, reason: String(repeating: "é", count: 100)).payload
        #expect(long.count <= 125)
        #expect(UTF8Validator.isValid(Array(long.dropFirst(2))))
        #expect(WebSocketCloseFrame(code: nil).payload.isEmpty)
    }
}
