import Foundation
import Testing
@testable import Domain

@Suite struct RSNTests {
    @Test func keepsTheDisplayFormAndNormalisesCaseAndSeparators() throws {
        let name = try RSN("  Iron_Man-1 ")
        #expect(name.display == "Iron_Man-1")
        #expect(name.normalized == "iron man 1")
    }

    @Test func spacesUnderscoresAndHyphensMatch() throws {
        #expect(try RSN("Lynx Titan") == RSN("lynx_titan"))
        #expect(try RSN("Lynx-Titan") == RSN("LYNX TITAN"))
        #expect(try RSN("Lynx Titan") != RSN("LynxTitan"))
        let set: Set<RSN> = [try RSN("a b"), try RSN("A_B"), try RSN("a-b")]
        #expect(set.count == 1)
    }

    @Test func acceptsTwelveCharactersAndOne() throws {
        #expect(try RSN("abcdefghijkl").display.count == 12)
        #expect(try RSN("x").normalized == "x")
        #expect(try RSN("0123456789 9").normalized == "0123456789 9")
    }

    @Test(arguments: [
        ("", RSN.ValidationError.empty),
        ("   ", .empty),
        ("abcdefghijklm", .tooLong(name: "abcdefghijklm", length: 13)),
        ("bad.name", .invalidCharacter(name: "bad.name", character: ".")),
        ("Zézima", .invalidCharacter(name: "Zézima", character: "é")),
        ("a\tb", .invalidCharacter(name: "a\tb", character: "\t")),
        ("robert'); --", .invalidCharacter(name: "robert'); --", character: "'")),
        ("__-", .onlySeparators(name: "__-")),
    ])
    func rejectsWithAReason(input: String, expected: RSN.ValidationError) {
        #expect(throws: expected) { try RSN(input) }
        #expect(!expected.description.isEmpty)
    }

    @Test func messagesSayWhy() {
        #expect(RSN.ValidationError.tooLong(name: "abcdefghijklm", length: 13).description.contains("at most 12"))
        #expect(RSN.ValidationError.invalidCharacter(name: "a.b", character: ".").description.contains("\".\""))
    }

    @Test func codableRoundTripValidates() throws {
        let name = try RSN("Some_Name")
        let data = try JSONEncoder().encode([name])
        #expect(String(decoding: data, as: UTF8.self) == "[\"Some_Name\"]")
        #expect(try JSONDecoder().decode([RSN].self, from: data) == [name])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([RSN].self, from: Data("[\"a.b\"]".utf8)) }
    }
}
