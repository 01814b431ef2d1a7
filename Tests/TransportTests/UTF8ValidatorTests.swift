import Testing
import TestSupport
@testable import Transport

@Suite struct UTF8ValidatorTests {
    @Test func acceptsWhatSwiftEncodes() {
        for text in ["", "hello", "κόσμε", "€", "𝄞 music", "\u{10FFFF}", "mixed ascii and ü"] {
            #expect(UTF8Validator.isValid(Array(text.utf8)), "\(text)")
        }
    }

    @Test(arguments: [
        [0xC0, 0x80],              // overlong NUL
        [0xE0, 0x80, 0xAF],        // overlong '/'
        [0xED, 0xA0, 0x80],        // surrogate U+D800
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // invalid lead byte
        [0x80],                    // lone continuation
        [0xFF],
        [0xCE, 0xBA, 0xE1, 0xBD],  // truncated at the end
    ] as [[UInt8]])
    func rejectsInvalidSequences(bytes: [UInt8]) {
        #expect(!UTF8Validator.isValid(bytes))
    }

    @Test func failsFastAtTheFirstBadByteAcrossPieces() {
        var validator = UTF8Validator()
        let first = validator.feed([0xCE])  // a valid start, continued in the next piece
        #expect(first)
        #expect(!validator.isAtCharacterBoundary)
        let second = validator.feed([0xBA, 0x61])
        #expect(second)
        #expect(validator.isAtCharacterBoundary)
        let third = validator.feed([0xED, 0xA0])  // surrogate detected at its second byte
        #expect(!third)
    }

    @Test func agreesWithFoundationOnRandomBytes() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5000 {
            let length = Int.random(in: 0...8, using: &generator)
            let bytes = generator.bytes(length)
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
        }
    }
}
