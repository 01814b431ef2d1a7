import Testing
import Cryptography

@Suite struct DigestTests {
    // Known answers from FIPS 180-2 and RFC 4231.
    @Test func sha256OfAbc() {
        #expect(Digest.sha256(Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha1OfAbc() {
        #expect(Digest.sha1(Array("abc".utf8)).hexString == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func hmacSHA256RFC4231Case2() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.hexString == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func hexRoundTripsAndRejectsGarbage() {
        #expect([UInt8](hexString: "00ff10Ab") == [0x00, 0xff, 0x10, 0xab])
        #expect([UInt8](hexString: "abc") == nil)
        #expect([UInt8](hexString: "zz") == nil)
    }

    @Test func randomBytesHaveTheAskedLengthAndDiffer() throws {
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
    }
}
