import Testing
import Transport

@Suite struct WebSocketHandshakeTests {
    @Test func acceptValueMatchesRFC6455Example() {
        // RFC 6455 section 1.3.
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func parsesAResponseHead() throws {
        let text = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nconnection: Upgrade\r\n\r\nrest"
        let bytes = Array(text.utf8)
        let end = try #require(HandshakeHead.endIndex(in: bytes))
        #expect(Array(bytes[end...]) == Array("rest".utf8))
        let head = try #require(HandshakeHead(Array(bytes[0..<end])))
        #expect(head.statusCode == 101)
        #expect(head.value(for: "Connection") == "Upgrade")
        #expect(HandshakeHead.endIndex(in: Array("HTTP/1.1 101 OK\r\n".utf8)) == nil)
    }
}
